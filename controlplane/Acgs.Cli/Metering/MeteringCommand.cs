// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Globalization;
using Acgs.Cli.Api;
using Acgs.Cli.Output;
using Acgs.Cli.Status;

namespace Acgs.Cli.Metering;

/// <summary><c>acgsctl metering top</c>: the top callers of the mesh or of one service, from <c>GET /api/v1/metering</c>.</summary>
internal static class MeteringCommand
{
    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("metering", "usage metered by the sidecars (docs/metering.md)");
        command.Add(Top(context, connection));
        return command;
    }

    private static Command Top(CliContext context, ConnectionOptions connection)
    {
        var service = new Option<string?>("--service") { Description = "only calls to this service" };
        var minutes = new Option<int>("--minutes") { Description = "how far back, minutes (1–525600)", DefaultValueFactory = _ => 60 };
        var limit = new Option<int>("--limit") { Description = "most rows shown (1–1000)", DefaultValueFactory = _ => 10 };
        var output = OutputFormat.CreateOption();
        var command = new Command("top", "the top callers: requests and messages per destination service and caller, largest first") { service, minutes, limit, output };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var (window, rows) = (Math.Clamp(parse.GetValue(minutes), 1, 525_600), Math.Clamp(parse.GetValue(limit), 1, 1000));
            var from = DateTimeOffset.UtcNow.AddMinutes(-window).ToUnixTimeMilliseconds();
            var filter = parse.GetValue(service) is { Length: > 0 } name ? "&service=" + ApiCommand.Segment(name) : string.Empty;
            var response = await api.GetAsync(string.Create(CultureInfo.InvariantCulture, $"api/v1/metering?group_by=service,source&from={from}{filter}"), ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, "metering top", response).ConfigureAwait(false);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json.Write(response.Body)).ConfigureAwait(false);
                return CliApplication.Ok;
            }

            var table = new Table("SERVICE", "CALLER", "COUNT", "REQ BYTES", "RESP BYTES", "MEAN MS");
            foreach (var total in Json.Array(response.Body, "totals"))
            {
                if (table.Count >= rows)
                {
                    break;
                }

                var count = (long?)total?["count"] ?? 0;
                var duration = (long?)total?["duration_us"] ?? 0;
                table.Add(Json.Text(total?["group"], "service"), Json.Text(total?["group"], "source"), count.ToString(CultureInfo.InvariantCulture),
                    Json.Number(total, "request_bytes", "0"), Json.Number(total, "response_bytes", "0"),
                    count == 0 ? "-" : (duration / 1000.0 / count).ToString("0.###", CultureInfo.InvariantCulture));
            }

            if (table.Count == 0)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"no usage in the last {window} minutes")).ConfigureAwait(false);
            }
            else
            {
                table.WriteTo(context.Out);
            }

            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }
}
