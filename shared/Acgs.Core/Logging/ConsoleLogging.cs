// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Acgs.Core.Logging;

/// <summary>The console log of both processes: stdout, one line per entry, in the chosen <see cref="LogFormat"/>.</summary>
public static class ConsoleLogging
{
    /// <summary>The timestamp of the text format (UTC, ISO-8601, then a blank).</summary>
    public const string TextTimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>Adds the console logger with <paramref name="format"/> (replacing the default multi-line formatter).</summary>
    public static ILoggingBuilder AddAcgsConsole(this ILoggingBuilder logging, LogFormat format, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(time);
        logging.AddConsole();
        if (format == LogFormat.Json)
        {
            logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter>(new JsonLineFormatter(time)));
            logging.Services.Configure<ConsoleLoggerOptions>(static options => options.FormatterName = JsonLineFormatter.FormatterName);
        }
        else
        {
            logging.AddSimpleConsole(static options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = TextTimestampFormat;
            });
            logging.Services.Configure<ConsoleLoggerOptions>(static options => options.FormatterName = ConsoleFormatterNames.Simple);
        }

        return logging;
    }
}
