// SGD, heavy-ball momentum and Nesterov momentum: torch.optim.SGD's one update rule.

enum SGDRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { h.momentum != 0 ? [.buf] : [] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>) {
        c.lrT = T(h.lr)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), wd = T(h.weightDecay), mom = T(h.momentum), damp = T(1 - h.dampening)
        let theta = x.theta
        let buf = x.layout.buf >= 0 ? x.slot(x.layout.buf) : nil
        let scalarFrom = fusedScalarStart(x.n, T.self, h)
        for i in x.range {
            var d = withL2(x.gradient(i), theta[i], wd)
            sink.vector(.g, i, d)
            if let buf {
                // torch.optim (and the fused kernel's vector loop): (buf·μ) + (1 − dampening)·g with the
                // second product fused; the fused kernel's one-by-one loop contracts the first.
                let b =
                    c.t == 1
                    ? d
                    : i >= scalarFrom ? (d * damp).addingProduct(buf[i], mom) : (buf[i] * mom).addingProduct(damp, d)
                buf[i] = b
                d = h.nesterov ? d.addingProduct(mom, b) : b
            }
            sink.vector(.update, i, -lr * d)
            theta[i] = theta[i].addingProduct(-lr, d)
        }
    }
}
