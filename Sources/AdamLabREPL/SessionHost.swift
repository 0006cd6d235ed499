// The session as the host a lesson drives, and snapshots so a learner can experiment mid-lesson.

import AdamLabCore
import AdamLabLessons

extension Session: LessonHost {
    public func runCommand(_ line: String) throws -> String {
        var captured: [String] = []
        let saved = write
        write = { captured.append($0) }
        defer { write = saved }
        try execute(line)
        return captured.joined(separator: "\n")
    }

    public var stepContext: StepContext? {
        guard let record = lastRecord else { return nil }
        return StepContext(record: record, previous: previousState, hyper: lastStepSpec.hyper, kind: lastStepSpec.kind)
    }

    public var gradientHistory: [[Double]]? {
        guard let log = gradientLog, log.count == run.t else { return nil }
        return log
    }

    public var currentSpec: OptimizerSpec { spec }
}
