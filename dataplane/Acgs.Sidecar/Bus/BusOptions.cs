// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Acgs.Contracts.BusWire;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Redis;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Message-bus settings (docs/bus-protocol.md, "Configuration"). Immutable; read from the environment
/// with <see cref="FromEnvironment"/>, which reports every invalid value at once.
/// </summary>
public sealed partial record BusOptions
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

    /// <summary>Variable of <see cref="InlineTransport"/> (a boolean: <c>1</c>/<c>0</c>, <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>).</summary>
    public const string InlineTransportVariable = "ACGS_BUS_INLINE_TRANSPORT";

    /// <summary>Defaults: 0.0.0.0:8080, HTTP API on 8082, 4096 messages per priority lane, 8192 in flight.</summary>
    public static BusOptions Default { get; } = new();

    /// <summary>Bind address of the framed bus listener (agents and peer sidecars' links). Default <c>0.0.0.0</c>: other sidecars connect to it.</summary>
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
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{PortVariable}: must be a port number from 0 to 65535 (got '{Port}')"));
        }

        if (HttpPort is < -1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{HttpPortVariable}: must be a whole number from -1 (off) to 65535 (got '{HttpPort}')"));
        }

        if (HttpPort > 0 && HttpPort == Port)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{HttpPortVariable}: must differ from {PortVariable} (got '{HttpPort}')"));
        }

        if (!System.Net.IPAddress.TryParse(Address, out _))
        {
            errors.Add($"{AddressVariable}: must be an IP address (got '{SettingsReader.Shown(Address ?? string.Empty)}')");
        }

        if (LaneCapacity is < 1 or > 1_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{LaneCapacityVariable}: must be a whole number from 1 to 1000000 (got '{LaneCapacity}')"));
        }

        if (MaxInflight is < 1 or > 1_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{MaxInflightVariable}: must be a whole number from 1 to 1000000 (got '{MaxInflight}')"));
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
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{ControlCapacityVariable}: must be a whole number from 2 to 1000000 (got '{ControlCapacity}')"));
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

        ValidateLimits(errors);

        return errors;
    }

    /// <summary>Reads the options from environment variables; <paramref name="errors"/> lists every problem.</summary>
    public static BusOptions FromEnvironment(IReadOnlyDictionary<string, string?> variables, out IReadOnlyList<string> errors)
    {
        var settings = SettingsReader.From(variables);
        var options = Read(settings);
        errors = settings.Problems;
        return options;
    }

    /// <summary>Reads the options through <paramref name="settings"/>, which collects every problem (an invalid value keeps its default).</summary>
    public static BusOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new BusOptions
        {
            Address = settings.Parse(AddressVariable, Default.Address, TryParseIp, "an IP address"),
            Port = settings.Port(PortVariable, Default.Port),
            HttpPort = settings.WholeNumber(HttpPortVariable, Default.HttpPort, -1, 65535),
            LaneCapacity = settings.WholeNumber(LaneCapacityVariable, Default.LaneCapacity, 1, 1_000_000),
            MaxInflight = settings.WholeNumber(MaxInflightVariable, Default.MaxInflight, 1, 1_000_000),
            ControlCapacity = settings.WholeNumber(ControlCapacityVariable, Default.ControlCapacity, 2, 1_000_000),
            NodeId = settings.Text(NodeIdVariable, Default.NodeId),
            DirectoryFile = settings.OptionalText(DirectoryFileVariable),
            UseStore = settings.IsSet(RedisOptions.UrlVariable),
            InlineTransport = settings.Bool(InlineTransportVariable, Default.InlineTransport),
        };
        options = ReadLimits(settings, options);

        if (settings.Raw("CONSTITUTIONAL_HASH") is { } hashes)
        {
            if (ConstitutionalHashSet.TryCreate(SettingsReader.SplitList(hashes), out var set, out var hashErrors))
            {
                options = options with { AcceptedHashes = set };
            }
            else
            {
                settings.ReportAll("CONSTITUTIONAL_HASH", hashErrors);
            }
        }

        var problems = new List<string>();
        var directory = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.DirectoryFile is { } file)
        {
            BusDirectoryParser.ReadFile(file, directory, problems);
        }

        if (settings.Raw(DirectoryVariable) is { } list)
        {
            BusDirectoryParser.ParseList(list, directory, problems);
        }

        options = options with { Directory = directory.ToFrozenDictionary(StringComparer.Ordinal) };
        problems.AddRange(options.Validate());
        foreach (var problem in problems)
        {
            settings.ReportGeneral(problem);
        }

        return options;
    }

    private static bool TryParseIp(string text, out string address)
    {
        address = text;
        return System.Net.IPAddress.TryParse(text, out _);
    }
}
