// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Acgs.Contracts.BusWire;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Message-bus settings (docs/bus-protocol.md, "Configuration"). Immutable; read from the environment
/// with <see cref="FromEnvironment"/>, which reports every invalid value at once.
/// </summary>
public sealed record BusOptions
{
    /// <summary>Environment variable of <see cref="Address"/>.</summary>
    public const string AddressVariable = "ACGS_BUS_ADDRESS";

    /// <summary>Environment variable of <see cref="Port"/>.</summary>
    public const string PortVariable = "ACGS_BUS_PORT";

    /// <summary>Environment variable of <see cref="HttpPort"/>.</summary>
    public const string HttpPortVariable = "ACGS_BUS_HTTP_PORT";

    /// <summary>Environment variable of <see cref="Directory"/> (<c>agentA=host:port,agentB=host:port</c>).</summary>
    public const string DirectoryVariable = "ACGS_BUS_DIRECTORY";

    /// <summary>Environment variable of <see cref="DirectoryFile"/>.</summary>
    public const string DirectoryFileVariable = "ACGS_BUS_DIRECTORY_FILE";

    /// <summary>Environment variable of <see cref="LaneCapacity"/>.</summary>
    public const string LaneCapacityVariable = "ACGS_BUS_QUEUE_CAPACITY";

    /// <summary>Environment variable of <see cref="MaxInflight"/>.</summary>
    public const string MaxInflightVariable = "ACGS_BUS_MAX_INFLIGHT";

    /// <summary>Environment variable of <see cref="NodeId"/> (shared with the sidecar).</summary>
    public const string NodeIdVariable = "ACGS_NODE_ID";

    /// <summary>Variable of <see cref="ControlCapacity"/>.</summary>
    public const string ControlCapacityVariable = "ACGS_BUS_CONTROL_CAPACITY";

    /// <summary>Variable of <see cref="InlineTransport"/> (<c>1</c>/<c>true</c> or <c>0</c>/<c>false</c>).</summary>
    public const string InlineTransportVariable = "ACGS_BUS_INLINE_TRANSPORT";

    /// <summary>Defaults: 0.0.0.0:8080, HTTP API on 8082, 4096 messages per priority lane, 8192 in flight.</summary>
    public static BusOptions Default { get; } = new();

    /// <summary>Bind address of the bus listeners. Default <c>0.0.0.0</c>.</summary>
    public string Address { get; init; } = "0.0.0.0";

    /// <summary>Framed TCP port. Default 8080; 0 picks a free port.</summary>
    public int Port { get; init; } = BusWireConstants.DefaultPort;

    /// <summary>Port of the small HTTP API (<c>POST /v1/messages</c>, <c>GET /v1/agents</c>). Default 8082; 0 picks a free port; -1 disables it.</summary>
    public int HttpPort { get; init; } = 8082;

    /// <summary>Capacity of each of the four priority lanes of every agent (and peer link) queue.</summary>
    public int LaneCapacity { get; init; } = 4096;

    /// <summary>Messages written to one connection and not yet acknowledged before its writer pauses.</summary>
    public int MaxInflight { get; init; } = 8192;

    /// <summary>Static agent directory: agent id → the bus address (<c>host:port</c>) of the sidecar hosting it.</summary>
    public IReadOnlyDictionary<string, string> Directory { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>A JSON file <c>{"agents": {"id": "host:port"}}</c> merged into <see cref="Directory"/> at start.</summary>
    public string? DirectoryFile { get; init; }

    /// <summary>Name announced on sidecar-to-sidecar links. Default <c>sidecar</c>.</summary>
    public string NodeId { get; init; } = "sidecar";

    /// <summary>How long <c>POST /v1/messages</c> waits for the recipient's ack before answering 202.</summary>
    public TimeSpan HttpAckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most control frames (acks, errors, pongs) queued for one connection. At half of it the sidecar stops
    /// reading that connection (TCP backpressure) until a quarter is left; when it is full the connection is
    /// closed with a <c>slow_reader</c> error frame.
    /// </summary>
    public int ControlCapacity { get; init; } = 16_384;

    /// <summary>How long a connection closed as a slow reader may still read its last replies before it is aborted.</summary>
    public TimeSpan SlowReaderGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed sidecar-to-sidecar link is kept before a new connection is tried (messages meanwhile fail over at once).</summary>
    public TimeSpan PeerRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a link to an address removed from the directory may finish its queued and in-flight messages before it is closed.</summary>
    public TimeSpan PeerDrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the bus port gets its own Kestrel socket transport with inline scheduling (reads parsed and
    /// routed on the socket thread, flushes written on the flushing thread: no thread hops). Default true;
    /// false puts the bus port on the server's shared transport (thread-pool and I/O-queue hops).
    /// </summary>
    public bool InlineTransport { get; init; } = true;

    /// <summary>Whether the offline store (Redis stream per agent) is used: set when <c>REDIS_URL</c> is set.</summary>
    public bool UseStore { get; init; }

    /// <summary>Accepted constitutional hashes (<c>CONSTITUTIONAL_HASH</c>, comma-separated for rotation). Default: the built-in hash.</summary>
    public ConstitutionalHashSet AcceptedHashes { get; init; } = ConstitutionalHashSet.Default;

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"{PortVariable} must be 0..65535, got {Port}");
        }

        if (HttpPort is < -1 or > 65535)
        {
            errors.Add($"{HttpPortVariable} must be -1 (off) or 0..65535, got {HttpPort}");
        }

        if (HttpPort > 0 && HttpPort == Port)
        {
            errors.Add($"{HttpPortVariable} must differ from {PortVariable}");
        }

        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            errors.Add($"{AddressVariable} must be an IP address, got '{Address}'");
        }

        if (LaneCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{LaneCapacityVariable} must be 1..1000000, got {LaneCapacity}");
        }

        if (MaxInflight is < 1 or > 1_000_000)
        {
            errors.Add($"{MaxInflightVariable} must be 1..1000000, got {MaxInflight}");
        }

        foreach (var (agent, address) in Directory)
        {
            if (agent.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(agent) > BusWireConstants.MaxIdBytes)
            {
                errors.Add($"directory agent id '{agent}' must be 1..{BusWireConstants.MaxIdBytes} bytes");
            }

            if (!System.Net.IPEndPoint.TryParse(address, out var endPoint) || endPoint.Port == 0)
            {
                errors.Add($"directory address of '{agent}' must be ip:port, got '{address}'");
            }
        }

        if (HttpAckTimeout <= TimeSpan.Zero)
        {
            errors.Add("the HTTP ack timeout must be positive");
        }

        if (ControlCapacity is < 2 or > 1_000_000)
        {
            errors.Add($"{ControlCapacityVariable} must be 2..1000000, got {ControlCapacity}");
        }

        if (SlowReaderGrace < TimeSpan.Zero)
        {
            errors.Add("the slow-reader grace period must not be negative");
        }

        if (PeerRetryDelay < TimeSpan.Zero)
        {
            errors.Add("the peer retry delay must not be negative");
        }

        if (PeerDrainTimeout < TimeSpan.Zero)
        {
            errors.Add("the peer drain timeout must not be negative");
        }

        return errors;
    }

    /// <summary>Reads the options from environment variables; <paramref name="errors"/> lists every problem.</summary>
    public static BusOptions FromEnvironment(IReadOnlyDictionary<string, string?> variables, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<string>();
        var options = new BusOptions
        {
            Address = Get(variables, AddressVariable) ?? Default.Address,
            Port = Int(variables, PortVariable, Default.Port, problems),
            HttpPort = Int(variables, HttpPortVariable, Default.HttpPort, problems),
            LaneCapacity = Int(variables, LaneCapacityVariable, Default.LaneCapacity, problems),
            MaxInflight = Int(variables, MaxInflightVariable, Default.MaxInflight, problems),
            ControlCapacity = Int(variables, ControlCapacityVariable, Default.ControlCapacity, problems),
            NodeId = Get(variables, NodeIdVariable) ?? Default.NodeId,
            DirectoryFile = Get(variables, DirectoryFileVariable),
            UseStore = Get(variables, "REDIS_URL") is not null,
            InlineTransport = Bool(variables, InlineTransportVariable, Default.InlineTransport, problems),
        };

        if (Get(variables, "CONSTITUTIONAL_HASH") is { } hashes)
        {
            if (ConstitutionalHashSet.TryCreate(hashes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), out var set, out var hashErrors))
            {
                options = options with { AcceptedHashes = set };
            }
            else
            {
                problems.AddRange(hashErrors);
            }
        }

        var directory = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.DirectoryFile is { } file)
        {
            BusDirectoryParser.ReadFile(file, directory, problems);
        }

        if (Get(variables, DirectoryVariable) is { } list)
        {
            BusDirectoryParser.ParseList(list, directory, problems);
        }

        options = options with { Directory = directory.ToFrozenDictionary(StringComparer.Ordinal) };
        problems.AddRange(options.Validate());
        errors = problems;
        return options;
    }

    private static string? Get(IReadOnlyDictionary<string, string?> variables, string name) =>
        variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool Bool(IReadOnlyDictionary<string, string?> variables, string name, bool fallback, List<string> problems)
    {
        switch (Get(variables, name))
        {
            case null:
                return fallback;
            case "1":
            case var t when t.Equals("true", StringComparison.OrdinalIgnoreCase):
                return true;
            case "0":
            case var f when f.Equals("false", StringComparison.OrdinalIgnoreCase):
                return false;
            case var text:
                problems.Add($"{name} must be 1, 0, true or false, got '{text}'");
                return fallback;
        }
    }

    private static int Int(IReadOnlyDictionary<string, string?> variables, string name, int fallback, List<string> problems)
    {
        if (Get(variables, name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{name} must be an integer, got '{text}'");
        return fallback;
    }
}
