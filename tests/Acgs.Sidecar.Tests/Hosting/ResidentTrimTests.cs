// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;

namespace Acgs.Sidecar.Tests.Hosting;

public sealed class ResidentTrimTests
{
    private static readonly string[] Smaps =
    [
        "55d0a0000000-55d0a0400000 r--p 00000000 08:01 1234                       /app/Acgs.Sidecar",
        "Size:               4096 kB",
        "Rss:                2048 kB",
        "Anonymous:             0 kB",
        "55d0a0400000-55d0a1000000 r-xp 00400000 08:01 1234                       /app/Acgs.Sidecar",
        "Rss:                8192 kB",
        "Anonymous:             0 kB",
        "55d0a1000000-55d0a1100000 r--p 01000000 08:01 1234                       /app/Acgs.Sidecar",
        "Rss:                1024 kB",
        "Anonymous:           512 kB",
        "55d0a1100000-55d0a1200000 rw-p 01100000 08:01 1234                       /app/Acgs.Sidecar",
        "Rss:                1024 kB",
        "Anonymous:             0 kB",
        "7f0000000000-7f0000400000 rw-p 00000000 00:00 0 ",
        "Rss:                4096 kB",
        "Anonymous:          4096 kB",
        "7f0000400000-7f0000500000 r-xs 00000000 00:01 77                         /memfd:doublemapper (deleted)",
        "Rss:                 512 kB",
        "Anonymous:             0 kB",
        "7f0000500000-7f0000600000 r--p 00000000 08:01 99                         /usr/lib/libcrypto.so.3",
        "Rss:                   0 kB",
        "Anonymous:             0 kB",
        "7f0000600000-7f0000700000 r-xp 00000000 08:01 98                         /usr/lib/x86_64-linux-gnu/libssl.so.3",
        "Rss:                 256 kB",
        "Anonymous:             0 kB",
        "7ffc00000000-7ffc00021000 r--p 00000000 00:00 0                          [vvar]",
        "Rss:                   4 kB",
        "Anonymous:             0 kB",
    ];

    [Fact]
    public void Candidates_SmapsOfMixedMappings_KeepsOnlyCleanReadOnlyPrivateFileMappingsWithResidentPages()
    {
        var candidates = ResidentTrim.Candidates(Smaps);

        Assert.Equal(
            [
                new ResidentTrim.Mapping(0x55d0a0000000, 0x55d0a0400000, 2048 * 1024),
                new ResidentTrim.Mapping(0x55d0a0400000, 0x55d0a1000000, 8192 * 1024),
                new ResidentTrim.Mapping(0x7f0000600000, 0x7f0000700000, 256 * 1024),
            ],
            candidates);
    }

    [Fact]
    public void Candidates_MappingWithoutAnonymousLine_IsSkipped()
    {
        var candidates = ResidentTrim.Candidates(
        [
            "55d0a0000000-55d0a0400000 r--p 00000000 08:01 1234                       /app/Acgs.Sidecar",
            "Rss:                2048 kB",
        ]);

        Assert.Empty(candidates);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    public void Enabled_Value_IsOnUnlessFalseOrZero(string? value, bool expected) =>
        Assert.Equal(expected, ResidentTrim.Enabled(value));
}
