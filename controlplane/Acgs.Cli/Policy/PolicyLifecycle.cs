// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Text.Json.Nodes;
using Acgs.Cli.Api;

namespace Acgs.Cli.Policy;

/// <summary><c>acgsctl policy validate -f FILE</c>, <c>policy deactivate ID</c>, <c>policy delete ID</c>.</summary>
internal static class PolicyLifecycle
{
    public static Command Validate(CliContext context, ConnectionOptions connection)
    {
        var file = new Option<string>("--filename", "-f") { Description = "the policy file (JSON; '-' = standard input), as for apply", Required = true };
        var command = new Command("validate", "check a policy as an activation would (document, conflicts, every service's snapshot still compiling) without storing it") { file };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var (request, problem) = PolicyApply.Read(parse.GetValue(file)!, "0.0.0", context.In);
            if (request is null)
            {
                await context.Error.WriteLineAsync("acgsctl: policy validate: " + problem).ConfigureAwait(false);
                return CliApplication.Failed;
            }

            var body = new JsonObject { ["id"] = request.Value.Id, ["content"] = request.Value.Content };
            var response = await api.SendAsync(HttpMethod.Post, "api/v1/policies/validate", body.ToJsonString(), ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, "policy validate (" + request.Value.Id + ")", response).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"policy {request.Value.Id}: valid (would be accepted)").ConfigureAwait(false);
            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }

    public static Command Deactivate(CliContext context, ConnectionOptions connection) =>
        Simple(context, connection, "deactivate", "retire the active version (refused when a service's snapshot would then not compile)", HttpMethod.Put, "/deactivate", "has no active version");

    public static Command Delete(CliContext context, ConnectionOptions connection) =>
        Simple(context, connection, "delete", "delete a policy with every version (refused while a version is active: deactivate first)", HttpMethod.Delete, string.Empty, "deleted");

    private static Command Simple(CliContext context, ConnectionOptions connection, string name, string description, HttpMethod method, string suffix, string done)
    {
        var id = new Argument<string>("id") { Description = "the policy id" };
        var command = new Command(name, description) { id };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var policy = parse.GetValue(id)!;
            var response = await api.SendAsync(method, "api/v1/policies/" + ApiCommand.Segment(policy) + suffix, null, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return await CliAction.FailAsync(context, "policy " + name + " (" + policy + ")", response).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"policy {policy}: {done}").ConfigureAwait(false);
            return CliApplication.Ok;
        }, cancellationToken));
        return command;
    }
}
