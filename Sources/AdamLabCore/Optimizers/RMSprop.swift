// RMSprop, plain, centered and with momentum, as torch.optim.RMSprop computes it.

enum RMSpropRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] {
        var slots: [Quantity] = [.squareAvg]
        if h.centered { slots.append(.gradAvg) }
        if h.momentum > 0 { slots.append(.buf) }
        return slots
    }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>) {
        c.lrT = T(h.lr)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), eps = T(h.eps), wd = T(h.weightDecay), alpha = T(h.alpha), mom = T(h.momentum)
        let weight = T(1 - h.alpha)
        let theta = x.theta
        let sq = x.slot(x.layout.squareAvg)
        let ga = x.layout.gradAvg >= 0 ? x.slot(x.layout.gradAvg) : nil
        let buf = x.layout.buf >= 0 ? x.slot(x.layout.buf) : nil
        for i in x.range {
            let d = withL2(x.gradient(i), theta[i], wd)
            sink.vector(.g, i, d)
            sq[i] = torchSquareAverage(sq[i], d, alpha, weight)
            var avg: T
            if let ga {
                ga[i] = lerp(ga[i], d, weight)
                avg = sq[i].addingProduct(-ga[i], ga[i]).squareRoot()
            } else {
                avg = sq[i].squareRoot()
            }
            avg = avg + eps
            let update: T
            if let buf {
                buf[i] = buf[i] * mom + d / avg
                update = -lr * buf[i]
                theta[i] = theta[i].addingProduct(-lr, buf[i])
            } else {
                update = (-lr * d) / avg
                theta[i] = theta[i] + update
            }
            sink.vector(.update, i, update)
        }
    }
}
