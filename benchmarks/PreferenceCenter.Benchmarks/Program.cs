using BenchmarkDotNet.Running;

// BenchmarkSwitcher so `--filter`, `--list` and the other BenchmarkDotNet switches work from the command line.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
