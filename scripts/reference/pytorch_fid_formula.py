"""pytorch-fid's calculate_frechet_distance (fid_score.py), restated for the reference scripts beside this file:
np.cov statistics in, scipy.linalg.sqrtm of sigma1 @ sigma2, the eps = 1e-6 retry when the root is not finite,
the real part, then |mu1 - mu2|^2 + tr sigma1 + tr sigma2 - 2 tr sqrt."""
import numpy as np
from scipy import linalg


def frechet_distance(mu1, s1, mu2, s2):
    covmean = linalg.sqrtm(s1.dot(s2))
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + offset).dot(s2 + offset))
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))
