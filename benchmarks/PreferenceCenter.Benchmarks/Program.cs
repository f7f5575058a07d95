using BenchmarkDotNet.Running;
using PreferenceCenter.Benchmarks;

// `--wal-pages`: what one consent change writes, counted (WalPages). Otherwise BenchmarkSwitcher, so `--filter`,
// `--list` and the other BenchmarkDotNet switches work from the command line.
if (args is ["--wal-pages"])
{
    return await WalPages.RunAsync();
}

// `--interleaved`: the durable-write ratio from alternating rounds, robust to a busy machine (InterleavedWrites).
if (args is ["--interleaved"])
{
    return await InterleavedWrites.RunAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
