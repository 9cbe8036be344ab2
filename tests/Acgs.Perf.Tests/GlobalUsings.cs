// Constitutional Hash: cdd01ef066bc6cf2

global using Xunit;
