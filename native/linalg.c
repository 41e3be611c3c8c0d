/*
 * A small N-API addon over Debian's OpenBLAS/LAPACKE: the dense float64 kernels the Fréchet distance needs at
 * d = 2048 (symmetric eigenvalues and eigenvectors by divide and conquer, Cholesky, the congruence L^T S L and
 * matrix products; the KID and precision/recall Gram matrices). Matrices are n x n row-major Float64Arrays; inputs are never modified. Built by
 * scripts/build-native.sh; src/metrics/native-linalg.ts loads it and falls back to TypeScript when it is absent.
 */
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, NULL, "linalg addon: N-API call failed"); \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

/* The data of a Float64Array of exactly `count` values, or NULL after throwing a JS error naming `what`. */
static double *float64_data(napi_env env, napi_value array, int64_t count, const char *what) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value buffer;
  size_t offset;
  bool is_typed = false;
  if (napi_is_typedarray(env, array, &is_typed) != napi_ok || !is_typed) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  napi_get_typedarray_info(env, array, &type, &length, &data, &buffer, &offset);
  if (type != napi_float64_array || (int64_t)length != count) {
    napi_throw_range_error(env, NULL, what);
    return NULL;
  }
  return (double *)data;
}

/* A malloc'd copy of an n x n Float64Array (LAPACK overwrites its input), or NULL after throwing. */
static double *copy_matrix(napi_env env, napi_value array, int64_t n, const char *what) {
  const double *data = float64_data(env, array, n * n, what);
  if (!data) return NULL;
  double *out = malloc(sizeof(double) * (size_t)(n * n));
  if (!out) {
    napi_throw_error(env, NULL, "linalg addon: out of memory");
    return NULL;
  }
  memcpy(out, data, sizeof(double) * (size_t)(n * n));
  return out;
}

/* A new Float64Array of `count` values; *data points at its storage. NULL on failure (an error is pending). */
static napi_value new_float64_array(napi_env env, size_t count, double **data) {
  napi_value buffer, array;
  if (napi_create_arraybuffer(env, sizeof(double) * count, (void **)data, &buffer) != napi_ok) return NULL;
  if (napi_create_typedarray(env, napi_float64_array, count, buffer, 0, &array) != napi_ok) return NULL;
  return array;
}

/* A new Float64Array of `count` values copied from `values`. */
static napi_value to_float64_array(napi_env env, const double *values, size_t count) {
  double *data;
  napi_value array = new_float64_array(env, count, &data);
  if (array) memcpy(data, values, sizeof(double) * count);
  return array;
}

static int read_args(napi_env env, napi_callback_info info, size_t wanted, napi_value *argv, int64_t *n) {
  size_t argc = wanted;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < wanted) {
    napi_throw_type_error(env, NULL, "linalg addon: missing arguments");
    return 0;
  }
  if (napi_get_value_int64(env, argv[wanted - 1], n) != napi_ok || *n < 1 || *n > 65536) {
    napi_throw_range_error(env, NULL, "linalg addon: n must be an integer in [1, 65536]");
    return 0;
  }
  return 1;
}

/* Runs dsyevd on a copy of argument 0 (n x n, symmetric). jobz 'N': values only; 'V': also vectors, left in *a as
   rows (a symmetric matrix reads the same in either layout; in column-major the eigenvectors come back as
   columns, which are the rows of the same memory read row-major). Returns 0 after throwing. */
static int symmetric_eigen(napi_env env, napi_callback_info info, char jobz, const char *what, double **a, double **w, int64_t *n) {
  napi_value argv[2];
  if (!read_args(env, info, 2, argv, n)) return 0;
  *a = copy_matrix(env, argv[0], *n, what);
  if (!*a) return 0;
  *w = malloc(sizeof(double) * (size_t)*n);
  lapack_int status = LAPACKE_dsyevd(LAPACK_COL_MAJOR, jobz, 'U', (lapack_int)*n, *a, (lapack_int)*n, *w);
  if (status != 0) {
    free(*a);
    free(*w);
    napi_throw_error(env, NULL, status > 0 ? "dsyevd did not converge" : "dsyevd rejected an argument");
    return 0;
  }
  return 1;
}

/* eigenvalues(a, n): the eigenvalues of symmetric a, ascending (LAPACK dsyevd, no vectors). */
static napi_value eigenvalues(napi_env env, napi_callback_info info) {
  double *a, *w;
  int64_t n;
  if (!symmetric_eigen(env, info, 'N', "eigenvalues: a must be a Float64Array of n*n values", &a, &w, &n)) return NULL;
  napi_value out = to_float64_array(env, w, (size_t)n);
  free(a);
  free(w);
  return out;
}

/* eigen(a, n): { values (ascending), vectors (row k = eigenvector of values[k]) } of symmetric a (dsyevd). */
static napi_value eigen(napi_env env, napi_callback_info info) {
  double *a, *w;
  int64_t n;
  if (!symmetric_eigen(env, info, 'V', "eigen: a must be a Float64Array of n*n values", &a, &w, &n)) return NULL;
  napi_value result, values, vectors;
  values = to_float64_array(env, w, (size_t)n);
  vectors = to_float64_array(env, a, (size_t)(n * n));
  free(a);
  free(w);
  if (!values || !vectors) return NULL;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_set_named_property(env, result, "values", values));
  CHECK(napi_set_named_property(env, result, "vectors", vectors));
  return result;
}

/* cholesky(a, n): lower-triangular L with L L^T = a (row-major, zeros above the diagonal), or null when a is not
   numerically positive definite (dpotrf). */
static napi_value cholesky(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t n;
  if (!read_args(env, info, 2, argv, &n)) return NULL;
  double *a = copy_matrix(env, argv[0], n, "cholesky: a must be a Float64Array of n*n values");
  if (!a) return NULL;
  /* row-major lower L is column-major upper U with a = U^T U */
  lapack_int status = LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)n, a, (lapack_int)n);
  if (status != 0) {
    free(a);
    napi_value null_value;
    CHECK(napi_get_null(env, &null_value));
    return null_value;
  }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i + 1; j < n; j++) a[i * n + j] = 0.0;
  napi_value out = to_float64_array(env, a, (size_t)(n * n));
  free(a);
  return out;
}

/* Reads (x, y, n) with x and y n x n Float64Arrays; returns 0 after throwing. */
static int read_pair(napi_env env, napi_callback_info info, const char *what, const double **x, const double **y, int64_t *n) {
  napi_value argv[3];
  if (!read_args(env, info, 3, argv, n)) return 0;
  *x = float64_data(env, argv[0], *n * *n, what);
  if (!*x) return 0;
  *y = float64_data(env, argv[1], *n * *n, what);
  return *y != NULL;
}

/* Reads (x, y, n) and allocates the n x n result; returns it, or NULL after throwing. */
static napi_value pair_and_result(napi_env env, napi_callback_info info, const char *what, const double **x, const double **y, int64_t *n, double **result) {
  if (!read_pair(env, info, what, x, y, n)) return NULL;
  return new_float64_array(env, (size_t)(*n * *n), result);
}

/* congruence(l, s, n): L^T S L for lower-triangular L (two dtrmm calls on a copy of S). */
static napi_value congruence(napi_env env, napi_callback_info info) {
  const double *l, *s;
  double *b;
  int64_t n;
  napi_value out = pair_and_result(env, info, "congruence: l and s must be Float64Arrays of n*n values", &l, &s, &n, &b);
  if (!out) return NULL;
  int ni = (int)n;
  memcpy(b, s, sizeof(double) * (size_t)(n * n));
  cblas_dtrmm(CblasRowMajor, CblasRight, CblasLower, CblasNoTrans, CblasNonUnit, ni, ni, 1.0, l, ni, b, ni); /* B = S L */
  cblas_dtrmm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, ni, ni, 1.0, l, ni, b, ni);   /* B = L^T S L */
  return out;
}

/* matmul(a, b, n): A B (dgemm). */
static napi_value matmul(napi_env env, napi_callback_info info) {
  const double *a, *b;
  double *c;
  int64_t n;
  napi_value out = pair_and_result(env, info, "matmul: a and b must be Float64Arrays of n*n values", &a, &b, &n, &c);
  if (!out) return NULL;
  int ni = (int)n;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0, a, ni, b, ni, 0.0, c, ni);
  return out;
}

/* gramCross(a, rowsA, b, rowsB, dim): A B^T for row-major A (rowsA x dim) and B (rowsB x dim) (dgemm). */
static napi_value gram_cross(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int64_t rows_a, rows_b, dim;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 ||
      napi_get_value_int64(env, argv[1], &rows_a) != napi_ok || napi_get_value_int64(env, argv[3], &rows_b) != napi_ok ||
      napi_get_value_int64(env, argv[4], &dim) != napi_ok || rows_a < 1 || rows_b < 1 || dim < 1 ||
      rows_a > 1 << 24 || rows_b > 1 << 24 || dim > 1 << 20) {
    napi_throw_range_error(env, NULL, "gramCross: expected (a, rowsA, b, rowsB, dim) with positive sizes");
    return NULL;
  }
  const double *a = float64_data(env, argv[0], rows_a * dim, "gramCross: a must be a Float64Array of rowsA*dim values");
  if (!a) return NULL;
  const double *b = float64_data(env, argv[2], rows_b * dim, "gramCross: b must be a Float64Array of rowsB*dim values");
  if (!b) return NULL;
  double *c;
  napi_value out = new_float64_array(env, (size_t)(rows_a * rows_b), &c);
  if (!out) return NULL;
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows_a, (int)rows_b, (int)dim, 1.0, a, (int)dim, b, (int)dim, 0.0, c, (int)rows_b);
  return out;
}

/* config(): the OpenBLAS build string and thread count, for benchmark provenance. */
extern char *openblas_get_config(void);
extern int openblas_get_num_threads(void);

static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, text, threads;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &text));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_set_named_property(env, result, "openblas", text));
  CHECK(napi_set_named_property(env, result, "threads", threads));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"eigenvalues", NULL, eigenvalues, NULL, NULL, NULL, napi_default, NULL},
      {"eigen", NULL, eigen, NULL, NULL, NULL, napi_default, NULL},
      {"cholesky", NULL, cholesky, NULL, NULL, NULL, napi_default, NULL},
      {"congruence", NULL, congruence, NULL, NULL, NULL, napi_default, NULL},
      {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
      {"gramCross", NULL, gram_cross, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
