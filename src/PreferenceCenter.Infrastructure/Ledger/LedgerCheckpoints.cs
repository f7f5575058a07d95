using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Ledger;

public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>How often the head is signed (also on shutdown).</summary>
    [Range(1, 86_400)]
    public int CheckpointIntervalSeconds { get; set; } = 300;
}

/// <summary>
/// Signs the chain's head: a C2SP checkpoint (origin, tree size, Merkle root) signed with the ledger's ECDSA key
/// (ADR 37). The HMAC key of earlier checkpoints is kept to verify them.
/// </summary>
public sealed partial class LedgerCheckpointer(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    KeyStore keys,
    LedgerSigningKeys signingKeys,
    LedgerProofs proofs,
    TimeProvider clock,
    ILogger<LedgerCheckpointer> logger)
{
    public const string KeyName = "ledger-checkpoint";

    /// <summary>The shared HMAC key that signed checkpoints before ADR 37; only verifies them now.</summary>
    public byte[] Key => keys.GetOrCreate(KeyName);

    /// <summary>Everything a checkpoint is verified with: the old HMAC key and the published public keys.</summary>
    public CheckpointKeys Keys => new(Key, signingKeys.Published);

    /// <summary>Writes a checkpoint when the head moved since the last one; returns it, or null when nothing changed.</summary>
    public async Task<LedgerCheckpoint?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var head = await db.ConsentEvents.OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var last = await db.LedgerCheckpoints.OrderByDescending(c => c.Sequence).Select(c => (long?)c.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (head?.Hash is null || head.Sequence == last)
        {
            return null;
        }

        // The tree's upper levels are extended here, not on each append; the note signs the root of the whole log.
        var root = await proofs.RootAsync(db, head.Sequence, cancellationToken);
        var signer = signingKeys.CurrentPublic;
        var note = CheckpointNote.Sign(CheckpointNote.Body(signingKeys.Origin, head.Sequence, root), signer.Name, signingKeys.Current);
        var checkpoint = LedgerCheckpoint.CreateSigned(head.Sequence, head.Hash, root, LedgerColumns.For(db.Database).Stored(clock.GetUtcNow()), note, signer.KeyId);
        db.LedgerCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance signed this head between our read and our insert (a database without SQLite's
            // write-lock-first transactions): its checkpoint is as good as ours.
            LogAlreadySigned(head.Sequence);
            return null;
        }

        await tx.CommitAsync(cancellationToken);
        LogCheckpoint(checkpoint.Sequence);
        return checkpoint;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger checkpoint signed at sequence {Sequence}")]
    private partial void LogCheckpoint(long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger checkpoint at sequence {Sequence} already signed by another instance")]
    private partial void LogAlreadySigned(long sequence);
}

/// <summary>Signs the head every interval and once more on shutdown.</summary>
public sealed partial class LedgerCheckpointService(LedgerCheckpointer checkpointer, IOptions<LedgerOptions> options, TimeProvider clock, ILogger<LedgerCheckpointService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await checkpointer.CheckpointAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or System.Data.Common.DbException)
        {
            // A host torn down without a graceful stop: the next start's first interval signs the head instead.
            LogFailed(ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await checkpointer.CheckpointAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes the last checkpoint.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing a ledger checkpoint failed; will retry next interval")]
    private partial void LogFailed(Exception exception);
}
