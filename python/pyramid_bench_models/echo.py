"""A network that returns its input unchanged: the worker benchmark's way to time the process boundary alone
(`npm run perf -- worker`), with no computation inside the call."""
import torch


class Echo(torch.nn.Module):
    def forward(self, x, **rest):
        return x


def build(spec):
    return Echo()
