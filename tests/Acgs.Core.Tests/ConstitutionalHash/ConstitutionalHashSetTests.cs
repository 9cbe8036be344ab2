// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.ConstitutionalHash;

namespace Acgs.Core.Tests.ConstitutionalHash;

public sealed class ConstitutionalHashSetTests
{
    [Fact]
    public void TryCreate_TwoValidHashes_KeepsOrderAndPrimaryIsFirst()
    {
        var next = HashValues.OneOff(3);

        Assert.True(ConstitutionalHashSet.TryCreate([next, HashValues.Expected], out var set, out var errors));

        Assert.Empty(errors);
        Assert.Equal([next, HashValues.Expected], set.Hashes.ToArray());
        Assert.Equal(next, set.Primary);
    }

    [Fact]
    public void TryCreate_SeveralBadEntries_ReportsEveryOneByIndex()
    {
        string[] hashes =
        [
            "not-a-hash",                               // #0
            HashValues.Expected,                        // #1 fine
            HashValues.Expected.ToUpperInvariant(),     // #2 wrong case
            "",                                         // #3 empty
            HashValues.Expected + "0",                  // #4 too long
            HashValues.With(5, 'é'),                    // #5 non-ASCII
        ];

        Assert.False(ConstitutionalHashSet.TryCreate(hashes, out var set, out var errors));

        Assert.Equal(5, errors.Count);
        foreach (var index in new[] { 0, 2, 3, 4, 5 })
        {
            Assert.Contains(errors, e => e.Contains($"#{index} ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(errors, e => e.Contains("#1 ", StringComparison.Ordinal));
        Assert.Same(ConstitutionalHashSet.Default, set);
    }

    [Fact]
    public void TryCreate_Empty_ReportsThatOneIsRequired()
    {
        Assert.False(ConstitutionalHashSet.TryCreate([], out _, out var errors));

        Assert.Contains("at least one", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_TooMany_ReportsTheLimit()
    {
        var hashes = Enumerable.Range(0, ConstitutionalHashSet.MaxHashes + 1).Select(i => HashValues.OneOff(i)).ToList();

        Assert.False(ConstitutionalHashSet.TryCreate(hashes, out _, out var errors));

        Assert.Contains($"at most {ConstitutionalHashSet.MaxHashes}", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_MaxHashes_Accepted()
    {
        var hashes = Enumerable.Range(0, ConstitutionalHashSet.MaxHashes).Select(i => HashValues.OneOff(i)).ToList();

        Assert.True(ConstitutionalHashSet.TryCreate(hashes, out var set, out _));
        Assert.Equal(ConstitutionalHashSet.MaxHashes, set.Hashes.Length);
    }

    [Fact]
    public void TryCreate_Duplicates_KeptOnce()
    {
        Assert.True(ConstitutionalHashSet.TryCreate([HashValues.Expected, HashValues.Expected], out var set, out _));

        Assert.Equal([HashValues.Expected], set.Hashes.ToArray());
    }

    [Fact]
    public void TryCreate_ErrorsNeverEchoTheValues()
    {
        var almost = HashValues.Expected.ToUpperInvariant();

        Assert.False(ConstitutionalHashSet.TryCreate([almost], out _, out var errors));

        Assert.DoesNotContain(almost, Assert.Single(errors), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_BadEntries_ThrowsWithEveryError()
    {
        var ex = Assert.Throws<ArgumentException>(() => ConstitutionalHashSet.Create(["x", HashValues.Expected, "y"]));

        Assert.Contains("#0 ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("#2 ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_HoldsTheConstant()
    {
        Assert.Equal([AcgsConstants.ConstitutionalHash], ConstitutionalHashSet.Default.Hashes.ToArray());
        Assert.Equal(AcgsConstants.ConstitutionalHash, ConstitutionalHashSet.Default.Primary);
    }
}
