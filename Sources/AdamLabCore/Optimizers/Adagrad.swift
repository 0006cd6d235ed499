// Adagrad: the sum of every squared gradient so far, as torch.optim.Adagrad keeps it.

enum AdagradRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.sum] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>) {
        // The fused kernel's 1 + (t − 1)·decay is one contracted multiply-add.
        let decay =
            h.impl == .fused ? (1.0).addingProduct(Double(c.t) - 1, h.lrDecay) : 1 + (Double(c.t) - 1) * h.lrDecay
        c.lrT = T(h.lr / decay)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let eps = T(h.eps), wd = T(h.weightDecay)
        let theta = x.theta
        let sum = x.slot(x.layout.sum)
        for i in x.range {
            let d = withL2(x.gradient(i), theta[i], wd)
            sink.vector(.g, i, d)
            sum[i] = sum[i].addingProduct(d, d)
            let std = sum[i].squareRoot() + eps
            let update = (-c.lrT * d) / std
            sink.vector(.update, i, update)
            theta[i] = theta[i] + update
        }
    }
}
