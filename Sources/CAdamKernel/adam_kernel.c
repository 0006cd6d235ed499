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

void adamlab_adam_paper_f64(double *restrict theta, const double *restrict g, double *restrict m,
                            double *restrict v, long lo, long hi, double b1, double w1, double b2, double w2,
                            double bc1, double bc2, double lr, double eps_root, double eps) {
    for (long i = lo; i < hi; i++) {
        double d = g[i];
        double mi = b1 * m[i] + w1 * d;
        double vi = b2 * v[i] + w2 * (d * d);
        m[i] = mi;
        v[i] = vi;
        double update = -(lr * (mi / bc1) / (__builtin_sqrt(vi / bc2 + eps_root) + eps));
        theta[i] = theta[i] + update;
    }
}
