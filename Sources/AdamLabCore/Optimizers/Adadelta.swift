// Adadelta: the step scaled by the ratio of two running averages, as torch.optim.Adadelta has it.

enum AdadeltaRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.squareAvg, .accDelta] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>) {
        c.lrT = T(h.lr)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), eps = T(h.eps), wd = T(h.weightDecay), rho = T(h.rho), weight = T(1 - h.rho)
        let theta = x.theta
        let sq = x.slot(x.layout.squareAvg), acc = x.slot(x.layout.accDelta)
        for i in x.range {
            let d = withL2(x.gradient(i), theta[i], wd)
            sink.vector(.g, i, d)
            sq[i] = torchSquareAverage(sq[i], d, rho, weight)
            let std = (sq[i] + eps).squareRoot()
            var delta = (acc[i] + eps).squareRoot()
            delta = delta / std
            delta = delta * d
            acc[i] = torchSquareAverage(acc[i], delta, rho, weight)
            sink.vector(.update, i, -lr * delta)
            theta[i] = theta[i].addingProduct(-lr, delta)
        }
    }
}
