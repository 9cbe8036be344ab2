// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Acgs.Cli.Api;
using Acgs.Cli.Output;
using Acgs.Cli.Status;
using Acgs.Contracts.Metering;
using Acgs.Contracts.Serialization;

namespace Acgs.Cli.Metering;

/// <summary>
/// <c>acgsctl metering top</c>: the top callers of the mesh or of one service, from <c>GET /api/v1/metering</c>, folded by
/// <see cref="MeteringTopCallers"/> (the status page shows the same rows).
/// </summary>
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
        var command = new Command("top", "the top callers: requests and bus messages per destination service and caller, largest first") { service, minutes, limit, output };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var (window, rows) = (Math.Clamp(parse.GetValue(minutes), 1, 525_600), Math.Clamp(parse.GetValue(limit), 1, 1000));
            var from = DateTimeOffset.UtcNow.AddMinutes(-window).ToUnixTimeMilliseconds();
            var response = await api.GetAsync(MeteringTopCallers.Query(from, parse.GetValue(service)), ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, "metering top", response).ConfigureAwait(false);
            }

            var answer = response.Body?.Deserialize(AcgsJsonContext.Default.MeteringAnswer);
            var top = MeteringTopCallers.Rank(answer?.Totals ?? [], rows);
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json.Write(JsonSerializer.SerializeToNode(top, AcgsJsonContext.Default.ListMeteringTopCaller))).ConfigureAwait(false);
                return CliApplication.Ok;
            }

            if (top.Count == 0)
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"no usage in the last {window} minutes")).ConfigureAwait(false);
                return CliApplication.Ok;
            }

            var table = new Table("SERVICE", "CALLER", "REQUESTS", "MESSAGES", "REQ BYTES", "RESP BYTES", "MEAN MS");
            foreach (var caller in top)
            {
                table.Add(caller.Service, caller.Source, I(caller.Requests), I(caller.Messages), I(caller.RequestBytes), I(caller.ResponseBytes),
                    caller.MeanMs is { } mean ? mean.ToString("0.###", CultureInfo.InvariantCulture) : "-");
            }

            table.WriteTo(context.Out);
            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
