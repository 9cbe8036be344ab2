// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.ConstitutionalHash;

/// <summary>The inbound hash check: must allocate nothing whatever the outcome.</summary>
[MemoryDiagnoser]
public class HashValidatorBenchmarks
{
    private readonly ConstitutionalHashValidator _validator = ConstitutionalHashValidator.Default;
    private readonly string _valid = AcgsConstants.ConstitutionalHash;

    // The expected hash with its last digit changed (well formed, not accepted).
    private readonly string _mismatch = AcgsConstants.ConstitutionalHash[..^1]
        + (AcgsConstants.ConstitutionalHash[^1] == '0' ? '1' : '0');

    private readonly byte[] _validUtf8 = Encoding.UTF8.GetBytes(AcgsConstants.ConstitutionalHash);

    [Benchmark(Baseline = true)]
    public HashValidationResult Valid() => _validator.Validate(1, _valid);

    [Benchmark]
    public HashValidationResult Mismatch() => _validator.Validate(1, _mismatch);

    [Benchmark]
    public HashValidationResult Missing() => _validator.Validate(0, default);

    [Benchmark]
    public HashValidationResult ValidUtf8() => _validator.Validate(_validUtf8);
}
