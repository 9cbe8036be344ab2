// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Cli;

return CliApplication.Run(args, Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
