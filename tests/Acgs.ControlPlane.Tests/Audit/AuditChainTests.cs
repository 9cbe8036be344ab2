// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;

namespace Acgs.ControlPlane.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var entry = AuditChain.Seal(new AuditDraft(Now.AddSeconds(i), "admin", "policy.create", "p" + i, null, null), i, previous);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return entries;
    }

    [Fact]
    public void Verify_UntouchedChain_IsValid()
    {
        var result = AuditChain.Verify(Chain(4));

        Assert.True(result.Valid);
        Assert.Equal(4, result.Entries);
    }

    [Fact]
    public void Verify_AlteredField_FailsAtThatEntry()
    {
        var entries = Chain(4);
        entries[2] = entries[2] with { PolicyId = "forged" };

        var result = AuditChain.Verify(entries);

        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstInvalidSequence);
    }

    [Fact]
    public void Verify_RehashedAlteredEntry_FailsAtTheNextLink()
    {
        var entries = Chain(4);
        var forged = entries[1] with { Actor = "mallory" };
        entries[1] = forged with { Hash = AuditChain.ComputeHash(forged) };

        var result = AuditChain.Verify(entries);

        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstInvalidSequence);
    }

    [Fact]
    public void Verify_RemovedEntry_Fails()
    {
        var entries = Chain(4);
        entries.RemoveAt(1);

        Assert.False(AuditChain.Verify(entries).Valid);
    }

    [Fact]
    public void ComputeHash_SameEntry_IsDeterministic()
    {
        var entry = Chain(1)[0];

        Assert.Equal(entry.Hash, AuditChain.ComputeHash(entry));
        Assert.Equal(64, entry.Hash.Length);
    }
}
