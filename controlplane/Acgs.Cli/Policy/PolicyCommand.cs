// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using Acgs.Cli.Api;
using Acgs.Cli.Output;
using Acgs.Cli.Status;

namespace Acgs.Cli.Policy;

/// <summary><c>acgsctl policy list|get|history|apply|activate|validate|deactivate|delete</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("policy", "list, show, store and activate policies (versions are immutable; activation is audited)");
        command.Add(List(context, connection));
        var id = new Argument<string>("id") { Description = "the policy id" };
        command.Add(ApiCommand.Create(context, connection, "get", "one policy with its versions", HttpMethod.Get,
            parse => "api/v1/policies/" + ApiCommand.Segment(parse.GetValue(id)), null, id));
        var historyId = new Argument<string>("id") { Description = "the policy id" };
        command.Add(ApiCommand.Create(context, connection, "history", "every version of a policy, newest first", HttpMethod.Get,
            parse => "api/v1/policies/" + ApiCommand.Segment(parse.GetValue(historyId)) + "/versions", null, historyId));
        var activateId = new Argument<string>("id") { Description = "the policy id" };
        var version = new Option<string>("--version") { Description = "the version to activate (semantic version)", Required = true };
        command.Add(ApiCommand.Create(context, connection, "activate", "make a stored version the active one (pushed to every affected sidecar)", HttpMethod.Put,
            parse => "api/v1/policies/" + ApiCommand.Segment(parse.GetValue(activateId)) + "/activate?version=" + Uri.EscapeDataString(parse.GetValue(version) ?? string.Empty),
            null, activateId, version));
        command.Add(PolicyApply.Create(context, connection));
        command.Add(PolicyLifecycle.Validate(context, connection));
        command.Add(PolicyLifecycle.Deactivate(context, connection));
        command.Add(PolicyLifecycle.Delete(context, connection));
        return command;
    }

    private static Command List(CliContext context, ConnectionOptions connection)
    {
        var output = OutputFormat.CreateOption();
        var command = new Command("list", "every policy: id, active version, number of versions, last change") { output };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var response = await api.GetAsync("api/v1/policies", ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, "policy list", response).ConfigureAwait(false);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json.Write(response.Body)).ConfigureAwait(false);
                return CliApplication.Ok;
            }

            var table = new Table("POLICY", "ACTIVE", "VERSIONS", "UPDATED", "DESCRIPTION");
            foreach (var policy in Json.Array(response.Body))
            {
                table.Add(Json.Text(policy, "id"), Json.Text(policy, "active_version"), Json.Array(policy, "versions").Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Json.Text(policy, "updated_at"), Json.Text(policy, "description"));
            }

            if (table.Count == 0)
            {
                await context.Out.WriteLineAsync("no policies").ConfigureAwait(false);
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
