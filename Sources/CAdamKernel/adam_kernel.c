// See adam_kernel.h. Compiled without floating-point contraction: every fused multiply-add is explicit.
#include "adam_kernel.h"
#include <math.h>

void adamlab_adam_pytorch_f64(double *restrict theta, const double *restrict g, double *restrict m,
                              double *restrict v, long lo, long hi, double w1, double w2, double b2,
                              double neg_step, double bc2_sqrt, double eps) {
    for (long i = lo; i < hi; i++) {
        double d = g[i];
        double mi = fma(w1, d - m[i], m[i]);
        double vi = fma(w2 * d, d, v[i] * b2);
        m[i] = mi;
        v[i] = vi;
        theta[i] = theta[i] + (neg_step * mi) / (__builtin_sqrt(vi) / bc2_sqrt + eps);
    }
}
