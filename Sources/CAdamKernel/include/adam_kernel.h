// The innermost loop of PyTorch-convention Adam over a long vector, in C so that it vectorizes fully
// (packed square roots and fused multiply-adds); the same operations, in the same order, as the
// general Swift kernel, so the results are bit for bit the same.
#ifndef ADAMLAB_ADAM_KERNEL_H
#define ADAMLAB_ADAM_KERNEL_H

/// For i in [lo, hi): m ← m + w1·(g − m) (one rounding), v ← fma(w2·g, g, v·b2),
/// θ ← θ + (neg_step·m)/(√v / bc2_sqrt + eps).
void adamlab_adam_pytorch_f64(double *theta, const double *g, double *m, double *v, long lo, long hi,
                              double w1, double w2, double b2, double neg_step, double bc2_sqrt, double eps);

/// Adam as the paper writes it (convention=paper), in the order of the general loop: m = β₁m + (1 − β₁)g,
/// v = β₂v + (1 − β₂)g², θ + −(lr·(m/bc₁)/(√(v/bc₂ + ε_root) + ε)).
void adamlab_adam_paper_f64(double *theta, const double *g, double *m, double *v, long lo, long hi, double b1,
                            double w1, double b2, double w2, double bc1, double bc2, double lr, double eps_root,
                            double eps);

#endif
