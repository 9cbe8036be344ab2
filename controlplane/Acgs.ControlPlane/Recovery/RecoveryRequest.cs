// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// Body of <c>PATCH /api/v1/recovery/tasks/{service}</c> (at least one field) and, optionally, of
/// <c>POST /api/v1/recovery/tasks/{service}/retry</c>: <c>{"strategy":"linear","priority":5}</c>.
/// </summary>
internal sealed record RecoveryRequest(string? Strategy, int? Priority)
{
    /// <summary>Every problem with the request; <paramref name="requireField"/> demands at least one field.</summary>
    public List<string> Validate(bool requireField, out RecoveryStrategy? strategy)
    {
        var errors = new List<string>();
        strategy = null;
        if (Strategy is not null)
        {
            if (RecoveryNames.TryParseStrategy(Strategy, out var parsed))
            {
                strategy = parsed;
            }
            else
            {
                errors.Add("strategy: must be " + RecoveryNames.Strategies);
            }
        }

        if (Priority is < 0 or > RecoveryOptions.MaxPriority)
        {
            errors.Add($"priority: must be a whole number 0-{RecoveryOptions.MaxPriority}");
        }

        if (requireField && Strategy is null && Priority is null)
        {
            errors.Add("body: give strategy and/or priority");
        }

        return errors;
    }
}
