// Learning-rate schedules: the paper's α/√t and torch.optim.lr_scheduler's StepLR, CosineAnnealingLR and
// LinearLR, each computed as torch computes it (from the previous step's lr, in its order of operations),
// so that the lr of every step, and every θ after it, agree with torch's bit for bit.

import Foundation

/// Which schedule changes lr from step to step (`schedule=` in a spec).
public enum ScheduleKind: String, CaseIterable, Sendable, Codable {
    case none
    case step
    case cosine
    case linear
    case invSqrt = "inv_sqrt"
}

extension Hyperparameters {
    /// The lr of step t (1-based), given the lr of step t − 1 (nil at t = 1, or after a `set` that changed
    /// the schedule): torch's `get_lr`, the scheduler having stepped t − 1 times (its `last_epoch`).
    public func scheduledLR(at t: Int, previous: Double?) -> Double {
        let e = t - 1
        switch schedule {
        case .none: return lr
        case .invSqrt: return lr / Double(t).squareRoot()
        case .step:
            guard let previous else { return closedFormLR(at: t) }
            let size = Int(stepSize)
            return e == 0 || e % size != 0 ? previous : previous * gamma
        case .linear:
            if e == 0 { return lr * startFactor }
            guard let previous else { return closedFormLR(at: t) }
            let total = Int(totalIters)
            if e > total { return previous }
            let slope = endFactor - startFactor
            return previous * (1.0 + slope / (Double(total) * startFactor + Double(e - 1) * slope))
        case .cosine:
            if e == 0 { return lr }
            guard let previous else { return closedFormLR(at: t) }
            let period = Int(tMax)
            // Python's %, never negative.
            let k = ((e - 1 - period) % (2 * period) + 2 * period) % (2 * period)
            if k == 0 { return previous + (lr - etaMin) * (1 - cos(Double.pi / tMax)) / 2 }
            return (1 + cos(Double.pi * Double(e) / tMax)) / (1 + cos(Double.pi * Double(e - 1) / tMax))
                * (previous - etaMin) + etaMin
        }
    }

    /// The same lr from the base lr alone (torch's `_get_closed_form_lr`): where the chain starts over.
    func closedFormLR(at t: Int) -> Double {
        let e = Double(t - 1)
        switch schedule {
        case .none: return lr
        case .invSqrt: return lr / Double(t).squareRoot()
        case .step: return lr * pow(gamma, (e / stepSize).rounded(.down))
        case .linear:
            return lr * (startFactor + (endFactor - startFactor) * Swift.min(totalIters, e) / totalIters)
        case .cosine: return etaMin + (lr - etaMin) * (1 + cos(Double.pi * e / tMax)) / 2
        }
    }
}
