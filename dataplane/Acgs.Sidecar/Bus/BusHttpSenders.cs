// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Text;
using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The agents registered on the bus HTTP API and their bearer tokens. <c>POST /v1/senders</c> registers an agent id
/// (first come, like a framed <c>register</c>, and never one registered on the framed port of this sidecar) and returns
/// a random 256-bit token, shown once; <c>POST /v1/messages</c> with <c>Authorization: Bearer &lt;token&gt;</c> sends as
/// that agent and tenant only. Only the SHA-256 of a token is kept; a token is looked up by its hash, so comparing
/// it reveals nothing usable about other tokens. Not the hot path.
/// </summary>
internal sealed class BusHttpSenders(int capacity)
{
    private const string BearerPrefix = "Bearer ";
    private readonly Dictionary<string, BusHttpSender> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokenOfAgent = new(StringComparer.Ordinal);

    /// <summary>Held while an agent id is taken (HTTP or framed), so that one id never has two owners.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Registered HTTP senders.</summary>
    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _byToken.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="agentId"/> is registered here (call under <see cref="Gate"/>).</summary>
    public bool HoldsLocked(string agentId) => _tokenOfAgent.ContainsKey(agentId);

    /// <summary>
    /// Registers <paramref name="agentId"/> unless <paramref name="takenElsewhere"/> says the framed port holds it:
    /// <c>none</c> and the token, <c>duplicate_registration</c>, or <c>connection_limit</c> at capacity.
    /// </summary>
    public BusErrorCode TryAdd(string agentId, string tenantId, Func<string, bool> takenElsewhere, out string token)
    {
        token = string.Empty;
        lock (Gate)
        {
            if (_tokenOfAgent.ContainsKey(agentId) || takenElsewhere(agentId))
            {
                return BusErrorCode.DuplicateRegistration;
            }

            if (_byToken.Count >= capacity)
            {
                return BusErrorCode.ConnectionLimit;
            }

            token = Base64Url(RandomNumberGenerator.GetBytes(32));
            var key = Key(token);
            _byToken[key] = new BusHttpSender(agentId, tenantId);
            _tokenOfAgent[agentId] = key;
            return BusErrorCode.None;
        }
    }

    /// <summary>The sender of an <c>Authorization</c> header value, or null (absent, not a bearer token, unknown).</summary>
    public BusHttpSender? Find(string? authorization)
    {
        if (Token(authorization) is not { } token)
        {
            return null;
        }

        var key = Key(token);
        lock (Gate)
        {
            return _byToken.GetValueOrDefault(key);
        }
    }

    /// <summary>Removes the registration of the token in <paramref name="authorization"/>; false when unknown.</summary>
    public bool Remove(string? authorization)
    {
        if (Token(authorization) is not { } token)
        {
            return false;
        }

        var key = Key(token);
        lock (Gate)
        {
            if (!_byToken.Remove(key, out var sender))
            {
                return false;
            }

            _tokenOfAgent.Remove(sender.AgentId);
            return true;
        }
    }

    private static string? Token(string? authorization) =>
        authorization is { Length: > 7 } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? value[BearerPrefix.Length..].Trim() : null;

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
