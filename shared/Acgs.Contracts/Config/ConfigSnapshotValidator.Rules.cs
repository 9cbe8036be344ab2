// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;

namespace Acgs.Contracts.Config;

/// <summary>Field-level rules of <see cref="ConfigSnapshotValidator"/>.</summary>
public static partial class ConfigSnapshotValidator
{
    private const double MaxTimeoutSeconds = 3600;

    private static void ValidateResilience(string path, BreakerSettings? breaker, double? timeoutSeconds, RetryPolicy? retry, ImmutableArray<int> failureStatuses, List<string> errors)
    {
        if (breaker is not null)
        {
            if (breaker.FailMax is { } failMax && failMax is < 1 or > 10_000)
            {
                errors.Add($"{path}.breaker.fail_max: must be between 1 and 10000, got {I(failMax)}");
            }

            if (breaker.ResetTimeoutSeconds is { } reset && !InRange(reset, exclusiveMin: 0, MaxTimeoutSeconds))
            {
                errors.Add($"{path}.breaker.reset_timeout_seconds: must be greater than 0 and at most 3600, got {D(reset)}");
            }
        }

        if (timeoutSeconds is { } timeout && !InRange(timeout, exclusiveMin: 0, MaxTimeoutSeconds))
        {
            errors.Add($"{path}.timeout_seconds: must be greater than 0 and at most 3600, got {D(timeout)}");
        }

        ValidateStatuses(path + ".failure_statuses", failureStatuses, errors);
        if (retry is not null)
        {
            ValidateRetry(path + ".retry", retry, errors);
        }
    }

    private static void ValidateRetry(string path, RetryPolicy retry, List<string> errors)
    {
        if (retry.MaxAttempts is { } attempts && attempts is < 1 or > 10)
        {
            errors.Add($"{path}.max_attempts: must be between 1 and 10, got {I(attempts)}");
        }

        if (retry.PerTryTimeoutSeconds is { } perTry && !InRange(perTry, exclusiveMin: 0, MaxTimeoutSeconds))
        {
            errors.Add($"{path}.per_try_timeout_seconds: must be greater than 0 and at most 3600, got {D(perTry)}");
        }

        ValidateStatuses(path + ".retry_on_statuses", retry.RetryOnStatuses, errors);
        var backoffBase = retry.BackoffBaseMs ?? 25;
        var backoffMax = retry.BackoffMaxMs ?? Math.Max(250, backoffBase);
        if (!InRange(backoffBase, exclusiveMin: -1e-9, 60_000))
        {
            errors.Add($"{path}.backoff_base_ms: must be between 0 and 60000, got {D(backoffBase)}");
        }

        if (!InRange(backoffMax, exclusiveMin: -1e-9, 60_000) || backoffMax < backoffBase)
        {
            errors.Add($"{path}.backoff_max_ms: must be between backoff_base_ms and 60000, got {D(backoffMax)}");
        }

        if (retry.BudgetRatio is { } ratio && !InRange(ratio, exclusiveMin: -1e-9, 10))
        {
            errors.Add($"{path}.budget_ratio: must be between 0 and 10, got {D(ratio)}");
        }

        if (retry.BudgetMinRetriesPerSecond is { } perSecond && perSecond is < 0 or > 100_000)
        {
            errors.Add($"{path}.budget_min_retries_per_second: must be between 0 and 100000, got {I(perSecond)}");
        }

        if (retry.BudgetWindowSeconds is { } window && !InRange(window, exclusiveMin: 1 - 1e-9, 600))
        {
            errors.Add($"{path}.budget_window_seconds: must be between 1 and 600, got {D(window)}");
        }
    }

    private static void ValidateStatuses(string path, ImmutableArray<int> statuses, List<string> errors)
    {
        if (statuses.IsDefault)
        {
            errors.Add($"{path}: must not be null (use [] for the default)");
            return;
        }

        foreach (var status in statuses)
        {
            if (status is < 100 or > 599)
            {
                errors.Add($"{path}: {I(status)} is not an HTTP status code (100-599)");
            }
        }
    }

    private static bool InRange(double value, double exclusiveMin, double inclusiveMax) =>
        !double.IsNaN(value) && value > exclusiveMin && value <= inclusiveMax;

    private static string D(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostPattern(string value)
    {
        var host = value;
        var colon = value.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = value[..colon];
        }

        if (host.StartsWith("*.", StringComparison.Ordinal))
        {
            host = host[2..];
        }

        if (host.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var shown = value.Length > 64 ? value[..64] + "..." : value;
        return string.Create(shown.Length, shown, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
    }
}
