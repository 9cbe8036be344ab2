// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Metering;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>The metering names' comparer: one hash for a name as a string, chars or bytes, and it is the runtime's randomized one.</summary>
public sealed class MeterNameComparerTests
{
    [Theory]
    [InlineData("tenant-a")]
    [InlineData("caf\u00e9")]
    [InlineData("")]
    public void GetHashCode_StringCharsAndBytesOfOneName_EqualAndRandomized(string name)
    {
        var comparer = MeterNameComparer.Instance;
        var bytes = Array.ConvertAll(name.ToCharArray(), static c => (byte)c); // a byte equals the char of the same value

        var hash = comparer.GetHashCode(name);

        Assert.Equal(hash, comparer.GetHashCode(name.AsSpan()));
        Assert.Equal(hash, comparer.GetHashCode((ReadOnlySpan<byte>)bytes));
        Assert.True(comparer.Equals((ReadOnlySpan<byte>)bytes, name));
        Assert.Equal(string.GetHashCode(name.AsSpan()), hash); // the per-process seeded hash: callers cannot pick colliding names
    }

    [Fact]
    public void GetHashCode_PastMaxNameLength_LengthForEveryForm()
    {
        var name = new string('a', MeterNames.MaxNameLength + 1);
        var comparer = MeterNameComparer.Instance;

        Assert.Equal(name.Length, comparer.GetHashCode(name));
        Assert.Equal(name.Length, comparer.GetHashCode((ReadOnlySpan<byte>)System.Text.Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public void IdOf_NameByCharsThenByBytes_SameId()
    {
        var names = new MeterNames();

        var id = names.IdOf("agent-a".AsSpan());

        Assert.NotEqual(0, id);
        Assert.Equal(id, names.IdOf("agent-a"u8));
    }
}
