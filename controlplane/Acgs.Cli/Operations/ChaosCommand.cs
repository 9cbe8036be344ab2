// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Text.Json.Nodes;
using Acgs.Cli.Api;

namespace Acgs.Cli.Operations;

/// <summary><c>acgsctl chaos status|stop|resume</c>: the mesh-wide emergency stop of fault injection.</summary>
internal static class ChaosCommand
{
    private const string Route = "api/v1/chaos/emergency-stop";

    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("chaos", "the emergency stop of every fault injection in the mesh");
        command.Add(ApiCommand.Create(context, connection, "status", "whether the emergency stop is engaged", HttpMethod.Get, _ => Route));
        var reason = new Option<string>("--reason") { Description = "why (required; recorded in the audit log)", Required = true };
        command.Add(ApiCommand.Create(context, connection, "stop", "engage the emergency stop: every sidecar stops injecting faults", HttpMethod.Post,
            _ => Route, parse => new JsonObject { ["reason"] = parse.GetValue(reason) }.ToJsonString(), reason));
        command.Add(ApiCommand.Create(context, connection, "resume", "lift the emergency stop", HttpMethod.Delete, _ => Route));
        return command;
    }
}
