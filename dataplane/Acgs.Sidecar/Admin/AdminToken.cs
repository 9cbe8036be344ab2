// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Text;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// The token the admin port's state-changing endpoints (<c>POST /drain</c>, <c>POST /stats/latency/reset</c>) require
/// as <c>Authorization: Bearer</c>. From <c>ACGS_ADMIN_API_TOKEN</c>, else from the file <c>ACGS_ADMIN_API_TOKEN_FILE</c>
/// (read when it exists; otherwise the sidecar writes a fresh random token there, owner-only, for a preStop hook or an
/// operator on the same host to read). With neither, a random token nobody knows: those endpoints are refused (SIGTERM
/// still drains). Only the SHA-256 digest is kept; comparison is constant-time.
/// </summary>
internal sealed class AdminToken
{
    /// <summary>The token variable.</summary>
    public const string TokenVariable = "ACGS_ADMIN_API_TOKEN";

    /// <summary>The token-file variable.</summary>
    public const string FileVariable = "ACGS_ADMIN_API_TOKEN_FILE";

    /// <summary>Shortest accepted token.</summary>
    public const int MinLength = 16;

    private readonly byte[] _digest;

    private AdminToken(string token, string source)
    {
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Source = source;
    }

    /// <summary>Where the token came from: <c>environment</c>, <c>file</c>, <c>generated-file</c> or <c>none</c>.</summary>
    public string Source { get; }

    /// <summary>Nobody can present it: state-changing endpoints are refused.</summary>
    public static AdminToken Unknown() => new(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), "none");

    /// <summary>A given token (tests, embedding).</summary>
    public static AdminToken Of(string token) => new(token, "environment");

    /// <summary>Reads the settings; problems are collected by <paramref name="settings"/> (the value is never shown).</summary>
    public static AdminToken Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Secret(TokenVariable, MinLength) is { } token)
        {
            return new AdminToken(token, "environment");
        }

        if (settings.OptionalText(FileVariable) is not { Length: > 0 } path)
        {
            return Unknown();
        }

        try
        {
            if (File.Exists(path))
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length < MinLength)
                {
                    settings.Report(FileVariable, $"the file must hold a token of at least {MinLength} characters (value not shown: it is a secret)");
                }

                return new AdminToken(text, "file");
            }

            var fresh = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(fresh + "\n"));
            }

            return new AdminToken(fresh, "generated-file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            settings.Report(FileVariable, "cannot read or create the token file: " + ex.Message);
            return Unknown();
        }
    }

    /// <summary>True when <paramref name="presented"/> is the token (constant time in its content).</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(presented.ToString());
        SHA256.HashData(bytes, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }
}
