// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;

namespace Acgs.Sidecar.Bus;

/// <summary>The router's registry of the agents connected to this sidecar's framed port.</summary>
internal sealed partial class BusRouter
{
    /// <summary>Connected agents.</summary>
    public ICollection<BusSession> Agents => _agents.Values;

    public bool TryRegister(string agentId, BusSession session)
    {
        lock (HttpSenders.Gate)
        {
            if (HttpSenders.HoldsLocked(agentId) || !_agents.TryAdd(agentId, session))
            {
                return false;
            }
        }

        Metrics.AgentConnected();
        return true;
    }

    public void Unregister(BusSession session)
    {
        if (!session.IsPeer && session.AgentId is { } id && _agents.TryRemove(new KeyValuePair<string, BusSession>(id, session)))
        {
            Metrics.AgentDisconnected();
        }
    }

    /// <summary>Whether <paramref name="agentId"/> is registered on the framed port of this sidecar.</summary>
    public bool IsLocal(string agentId) => _agents.ContainsKey(agentId);

    /// <summary>The local session of the agent whose UTF-8 id is <paramref name="agentUtf8"/>.</summary>
    public BusSession? FindLocal(ReadOnlySpan<byte> agentUtf8)
    {
        Span<char> chars = stackalloc char[agentUtf8.Length];
        var n = Encoding.UTF8.GetChars(agentUtf8, chars);
        return _agentLookup.TryGetValue(chars[..n], out var session) ? session : null;
    }
}
