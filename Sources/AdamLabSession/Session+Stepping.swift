// Stepping: `step`, `run`, `back`, and the history they keep.

import AdamLabCore
import Foundation

extension Session {
    /// Takes one recorded step, keeping the state before it; divergence changes nothing.
    func recordedStep() throws -> StepRecord<Double> {
        var next = run
        let record: StepRecord<Double>
        do {
            record = try next.step(gradient: pendingGradient)
        } catch let d as Divergence {
            throw SessionError(divergenceMessage(d))
        } catch let e as CoreError { throw SessionError(e.message) }
        if let g = pendingGradient { events.append(.gradient(g, step: record.t)) }
        pendingGradient = nil
        beforeLast = run
        run = next
        lastRecord = record
        remember(record, gradient: record.vectors[.g])
        return record
    }

    /// A progress line for long runs, at most four times a second; cleared when the run ends.
    struct ProgressLine {
        let show: ((RunProgress?) -> Void)?
        var last = Date()
        var showing = false

        mutating func update(_ progress: @autoclosure () -> RunProgress) {
            guard let show, Date().timeIntervalSince(last) > 0.25 else { return }
            last = Date()
            showing = true
            show(progress())
        }

        mutating func clear() {
            if showing {
                show?(nil)
                showing = false
            }
        }
    }

    /// `step N`: every step recorded (shown when N ≤ 20), with the progress line and Ctrl-C of `run`.
    func step(_ count: Int) throws {
        if !predicting.isEmpty {
            guard count == 1 else {
                throw SessionError("while predicting, steps are taken one at a time (`predict off` ends it)")
            }
            return try predictedStep()
        }
        // Shown one by one up to 20; more are taken as `run` takes them (every step recorded while they
        // fit the history, samples past that), keeping every gradient for the reference computations.
        guard count <= 20 else { return try runFast(count, asSteps: true) }
        let target = run.t + count
        _ = try recordedSteps(count, target: target) { record in
            emit(.step(TakenStep(record: record, spec: lastStepSpec, groups: objective.parameterGroups)))
        }
    }

    /// Takes `count` recorded steps towards `target`, each handed to `each`, with the progress line and
    /// Ctrl-C (which stops at the last completed step, once the command has taken one: `taken` were
    /// taken before); returns the last step taken.
    private func recordedSteps(
        _ count: Int, target: Int, taken: Int = 0, each: (StepRecord<Double>) -> Void = { _ in }
    ) throws -> StepRecord<Double>? {
        var last: StepRecord<Double>?
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        for k in 0..<count {
            if k + taken > 0 && shouldStop() {
                line.clear()
                emit(.stopped(at: run.t))
                break
            }
            let record = try recordedStep()
            each(record)
            last = record
            line.update(RunProgress(t: self.run.t, target: target, loss: self.run.loss))
        }
        return last
    }

    /// `run N` (or, `asSteps`, `step N` past 20: every gradient kept too, and told as steps taken).
    func runFast(_ count: Int, asSteps: Bool = false) throws {
        let target = run.t + count
        func finish() {
            if asSteps, let last = lastRecord {
                emit(
                    .manySteps(
                        last: TakenStep(record: last, spec: lastStepSpec, groups: objective.parameterGroups),
                        taken: run.t - target + count))
            } else {
                emit(.summary(summary()))
            }
        }
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        // A run keeps every step while the history can hold them all (2²² numbers), so its plots are every
        // step; a longer one keeps a step per chunk (and its plots say how far apart they are).
        // A record's size is measured on one (the first step is recorded first whatever follows).
        var done = 0
        if lastRecord == nil || pendingGradient != nil {
            _ = try recordedStep()
            done = 1
        }
        let perRecord = lastRecord.map { Session.numbers(in: [$0]) } ?? 1
        // (Recording costs some microseconds a step: a 2-D run of 250,000 steps takes about a second and a half.)
        if historyStride == 1, historySize + (count - done) * perRecord <= Session.historyBudget {
            _ = try recordedSteps(count - done, target: target, taken: done)
            return finish()
        }
        // The gradients a step's g is: the objective's, unless weight decay or `maximize` changes it.
        let plainGradient = spec.hyper.weightDecay == 0 && !spec.hyper.maximize
        // A step per chunk is recorded; a record of many coordinates costs tens of fast steps, so a run over
        // many coordinates records at most one step in a thousand (its loss curve is still every step).
        let chunk = max(perRecord >= 1 << 14 ? min(count, 1000) : 1, min(1 << 16, count / 100))
        while run.t < target {
            let n = min(chunk, target - run.t)
            var next = run
            // The chunk's losses are kept only while the log is whole and within its budget.
            var losses: [Double]? = lossLog != nil && run.t + n <= Session.historyBudget ? [] : nil
            let dimension = run.theta.count
            var gradients: [[Double]]? =
                asSteps && plainGradient
                    && gradientLog.map({ ($0.count + n) * dimension <= Session.historyBudget })
                        == true
                ? [] : nil
            do {
                if n > 1 {
                    try next.advance(steps: n - 1, shouldStop: shouldStop, losses: &losses, gradients: &gradients)
                }
            } catch  where error is Divergence || error is CurvatureFailure {
                // The steps before the one that diverged, or could not be taken, stand.
                run = next
                lossLog = nil
                gradientLog = nil
                throw SessionError((error as? Divergence).map(divergenceMessage) ?? "\(error)")
            }
            run = next
            if let losses, lossLog != nil { lossLog!.append(contentsOf: losses) } else { lossLog = nil }
            if let gradients, gradientLog != nil {
                gradientLog!.append(contentsOf: gradients)
            } else {
                gradientLog = nil
            }
            // Even when stopped, end on a recorded step, so `explain` and `show` describe where the run is.
            _ = try recordedStep()
            if shouldStop() && run.t < target {
                line.clear()
                emit(.stopped(at: run.t))
                break
            }
            line.update(RunProgress(t: self.run.t, target: target, loss: self.run.loss))
        }
        line.clear()
        finish()
    }

    /// Names the step and the quantity, and what to try: a NaN loss at a finite θ means θ left the
    /// objective's domain (a log or sqrt of a negative number), which a smaller lr may not cure.
    func divergenceMessage(_ d: Divergence) -> String {
        let advice: String
        let atFiniteTheta = run.theta.allSatisfy(\.isFinite)
        if d.value.isNaN && (d.quantity == .loss || d.quantity == .g) && atFiniteTheta {
            advice =
                "\(d.quantity == .loss ? "f" : "∇f") is not defined at this θ (outside the objective's domain, as for the log or square root of a negative number); try another start"
        } else if d.t == 1 && (d.quantity == .loss || d.quantity == .g) {
            advice = "\(d.quantity == .loss ? "f" : "∇f") is not finite at θ₀; try another start"
        } else {
            advice = "Try a smaller lr"
        }
        return "\(d.description); stopped at t = \(d.t - 1) (θ = \(vector(run.theta))). \(advice)"
    }

    func summary() -> RunSummary {
        let (loss, g) = run.lossAndGradient
        return RunSummary(
            t: run.t, loss: loss, gradientNorm: norm(g), theta: run.theta, lastUpdate: lastRecord?.vectors[.update])
    }

    func back(_ count: Int) throws {
        guard run.t > 0 else { throw SessionError("already at t = 0") }
        let target = max(0, run.t - count)
        try rebuild(to: target)
        emit(.wentBack(t: run.t, theta: run.theta, loss: run.loss))
    }

    /// The gradient typed with `grad` for step `step`, if one was.
    func typedGradient(for step: Int) -> [Double]? {
        for case .gradient(let g, let s) in events where s == step { return g }
        return nil
    }

    /// Replays the run from θ₀ to step `target`, re-applying `set` and typed gradients (deterministic,
    /// so the replayed state is bit for bit the one the learner had).
    func rebuild(to target: Int) throws {
        var replay = try PrecisionRun(spec: initialSpec, objective: objective, start: start)
        var currentSpec = initialSpec
        var before: PrecisionRun?
        var record: StepRecord<Double>?
        func applySets() throws {
            for case .set(let newSpec, let at) in events where at == replay.t {
                try replay.update(spec: newSpec)
                currentSpec = newSpec
            }
        }
        while replay.t < target {
            let nextStep = replay.t + 1
            let gradient = typedGradient(for: nextStep)
            if nextStep == target || gradient != nil {
                if nextStep == target { before = replay }
                record = try replay.step(gradient: gradient)
            } else {
                // Run fast up to the next moment something was changed, or to just before the target.
                var stop = target - 1
                for event in events {
                    switch event {
                    case .set(_, let at) where at > replay.t: stop = min(stop, at)
                    case .gradient(_, let s) where s > nextStep: stop = min(stop, s - 1)
                    default: break
                    }
                }
                try replay.advance(steps: stop - replay.t)
            }
            try applySets()
        }
        events = events.filter {
            switch $0 {
            case .set(_, let at): return at <= target
            case .gradient(_, let s): return s <= target
            }
        }
        run = replay
        spec = currentSpec
        beforeLast = before
        lastRecord = record
        history = history.filter { $0.t <= target }
        if let record, history.last?.t != target { history.append(record) }
        if let log = lossLog, log.count >= target { lossLog = Array(log.prefix(target)) } else { lossLog = nil }
        historySize = Session.numbers(in: history)
        pendingGradient = nil
    }
}
