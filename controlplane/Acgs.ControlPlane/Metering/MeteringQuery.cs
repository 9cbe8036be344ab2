// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Acgs.ControlPlane.Metering;

/// <summary>
/// The parameters of <c>GET /api/v1/metering</c>: filters (<c>service</c>, <c>source</c>, <c>tenant</c>), the time range
/// (<c>from</c>, <c>to</c>: RFC 3339 or Unix milliseconds; default the last hour) and <c>group_by</c> (a comma list of
/// <see cref="Dimensions"/>; default <c>service,source</c>), and the format (<c>format=csv</c> or <c>Accept: text/csv</c>).
/// </summary>
internal sealed record MeteringQuery
{
    /// <summary>The dimensions a total may be grouped by.</summary>
    public static readonly string[] Dimensions = ["service", "source", "operation", "tenant", "status_class", "kind"];

    public string? Service { get; init; }

    public string? Source { get; init; }

    public string? Tenant { get; init; }

    public long FromUnixMs { get; init; }

    public long ToUnixMs { get; init; }

    public IReadOnlyList<string> GroupBy { get; init; } = ["service", "source"];

    public bool Csv { get; init; }

    /// <summary>Reads the query of <paramref name="request"/>; every problem in <paramref name="errors"/>.</summary>
    public static MeteringQuery Parse(HttpRequest request, DateTimeOffset now, List<string> errors)
    {
        var query = request.Query;
        var to = Time(query["to"], "to", now, errors);
        var from = Time(query["from"], "from", to - TimeSpan.FromHours(1), errors);
        if (from > to)
        {
            errors.Add("from: must not be after to");
        }

        var groupBy = new List<string>();
        foreach (var part in (query["group_by"].ToString() is { Length: > 0 } text ? text : "service,source").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Array.IndexOf(Dimensions, part) < 0)
            {
                errors.Add($"group_by: '{Shorten(part)}' is not one of {string.Join(", ", Dimensions)}");
            }
            else if (!groupBy.Contains(part))
            {
                groupBy.Add(part);
            }
        }

        var format = query["format"].ToString();
        if (format.Length > 0 && format is not ("csv" or "json"))
        {
            errors.Add("format: must be json or csv");
        }

        var csv = format == "csv" || (format.Length == 0 && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        return new MeteringQuery
        {
            Service = Filter(query["service"]),
            Source = Filter(query["source"]),
            Tenant = Filter(query["tenant"]),
            FromUnixMs = from.ToUnixTimeMilliseconds(),
            ToUnixMs = to.ToUnixTimeMilliseconds(),
            GroupBy = groupBy,
            Csv = csv,
        };
    }

    private static string? Filter(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset Time(Microsoft.Extensions.Primitives.StringValues value, string name, DateTimeOffset fallback, List<string> errors)
    {
        var text = value.ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 253402300799999)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors.Add($"{name}: must be an RFC 3339 time (2026-12-06T15:00:00Z) or Unix milliseconds, got '{Shorten(text)}'");
        return fallback;
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
