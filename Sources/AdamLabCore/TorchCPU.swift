// The vector width torch's CPU kernels run at on this machine, for the fused optimizers' vector loop.

import Foundation

enum TorchCPU {
    /// Doubles per vector in the loop torch's fused kernels run over whole vectors: 8 where torch
    /// dispatches to its AVX-512 code (the CPU has AVX-512 F, BW, VL and DQ, or ATEN_CPU_CAPABILITY
    /// says avx512), otherwise 4 (AVX2).
    static let lanes: Int = {
        switch ProcessInfo.processInfo.environment["ATEN_CPU_CAPABILITY"]?.lowercased() {
        case "avx512": return 8
        case "avx2": return 4
        default: break
        }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return 4 }
        let have = Set(flags.split(separator: " ").map(String.init))
        return ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(have.contains) ? 8 : 4
    }()
}
