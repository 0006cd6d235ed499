// The vector width torch's CPU kernels run at, for the fused optimizers' vector loop. The core does
// not look at the machine: the program detects the CPU and says what it found.

/// The width of torch's vectors on the machine adamlab runs on.
public enum TorchCPU {
    /// Doubles per vector that `impl=fused` takes when `lanes=` is not given: set once, at start, by
    /// the program (from `lanes(capability:cpuFlags:)`); 4 (AVX2) until then.
    nonisolated(unsafe) public static var lanes = 4

    /// The width torch dispatches to: 8 for its AVX-512 code (the CPU has AVX-512 F, BW, VL and DQ, or
    /// ATEN_CPU_CAPABILITY says avx512), 4 for AVX2 otherwise.
    public static func lanes(capability: String?, cpuFlags: Set<String>) -> Int {
        switch capability?.lowercased() {
        case "avx512": return 8
        case "avx2": return 4
        default: return ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(cpuFlags.contains) ? 8 : 4
        }
    }
}
