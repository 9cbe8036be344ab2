// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// An immutable set of HTTP status codes (100–599) backed by a bitmap: <see cref="Contains"/> is a
/// shift and a mask, allocation-free, so it can run on every proxied response.
/// </summary>
internal sealed class StatusCodeSet : IEquatable<StatusCodeSet>
{
    private const int Min = 100;
    private const int Max = 599;
    private readonly ulong[] _bits = new ulong[(Max / 64) + 1];

    private StatusCodeSet(ReadOnlySpan<int> codes)
    {
        foreach (var code in codes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(code, Min, nameof(codes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(code, Max, nameof(codes));
            _bits[code >> 6] |= 1UL << (code & 63);
        }

        var count = 0;
        foreach (var word in _bits)
        {
            count += System.Numerics.BitOperations.PopCount(word);
        }

        Count = count;
    }

    /// <summary>The statuses that count as upstream failures by default: 502, 503, 504.</summary>
    public static StatusCodeSet GatewayErrors { get; } = Of(502, 503, 504);

    /// <summary>The empty set.</summary>
    public static StatusCodeSet Empty { get; } = Of();

    /// <summary>How many codes the set holds.</summary>
    public int Count { get; }

    /// <summary>A set of <paramref name="codes"/>; each must be between 100 and 599.</summary>
    public static StatusCodeSet Of(params ReadOnlySpan<int> codes) => new(codes);

    /// <summary>True when <paramref name="statusCode"/> is in the set.</summary>
    public bool Contains(int statusCode) =>
        (uint)(statusCode - Min) <= Max - Min && (_bits[statusCode >> 6] & (1UL << (statusCode & 63))) != 0;

    /// <summary>The codes in ascending order.</summary>
    public int[] ToArray()
    {
        var result = new int[Count];
        var i = 0;
        for (var code = Min; code <= Max; code++)
        {
            if (Contains(code))
            {
                result[i++] = code;
            }
        }

        return result;
    }

    /// <inheritdoc />
    public bool Equals(StatusCodeSet? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StatusCodeSet);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var word in _bits)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }

    /// <summary>The codes as a comma-separated list, e.g. <c>502,503,504</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var code in ToArray())
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(code.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
