// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Text.Json.Nodes;
using Acgs.Cli.Api;

namespace Acgs.Cli.Operations;

/// <summary><c>acgsctl rollout list|status|start|promote|pause|resume|abort</c>: blue-green rollouts.</summary>
internal static class RolloutCommand
{
    private const string Route = "api/v1/rollouts/";

    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("rollout", "blue-green rollouts: start one from a file, follow it, promote, pause, resume or abort it");
        command.Add(ApiCommand.Create(context, connection, "list", "every rollout, newest first", HttpMethod.Get, _ => Route));
        var id = new Argument<string>("id") { Description = "the rollout id" };
        command.Add(ApiCommand.Create(context, connection, "status", "one rollout: phase, weights, steps, checks, events", HttpMethod.Get,
            parse => Route + ApiCommand.Segment(parse.GetValue(id)), null, id));
        var file = new Option<string>("--filename", "-f") { Description = "the rollout request (JSON, as POST /api/v1/rollouts takes it)", Required = true };
        command.Add(ApiCommand.Create(context, connection, "start", "start a rollout", HttpMethod.Post, _ => Route, parse => ReadFile(parse.GetValue(file)!, context), file));
        foreach (var (verb, description) in new[] { ("promote", "go to the next step now"), ("pause", "stop at the current weights"), ("resume", "continue a paused rollout") })
        {
            var target = new Argument<string>("id") { Description = "the rollout id" };
            command.Add(ApiCommand.Create(context, connection, verb, description, HttpMethod.Post,
                parse => Route + ApiCommand.Segment(parse.GetValue(target)) + "/" + verb, _ => "{}", target));
        }

        var abortId = new Argument<string>("id") { Description = "the rollout id" };
        var reason = new Option<string?>("--reason") { Description = "why (recorded in the audit log)" };
        command.Add(ApiCommand.Create(context, connection, "abort", "roll back to blue", HttpMethod.Post,
            parse => Route + ApiCommand.Segment(parse.GetValue(abortId)) + "/abort",
            parse => new JsonObject { ["reason"] = parse.GetValue(reason) }.ToJsonString(), abortId, reason));
        return command;
    }

    /// <summary>The file's text ('-' = standard input); unreadable files give an empty body, which the control plane refuses precisely.</summary>
    internal static string ReadFile(string path, CliContext context)
    {
        try
        {
            return path == "-" ? context.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"acgsctl: cannot read '{path}' ({e.GetType().Name})");
            return string.Empty;
        }
    }
}
