using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// "A granted consent and no open STOP" as one prepared statement on a few connections kept open: the check before
/// every text. Opening a pooled connection (pragmas, EF's SQLite functions), building a context and compiling the
/// command each cost more than the indexed lookup itself (ADR 14). Works unchanged on PostgreSQL (a server-side
/// prepared statement per kept connection). The SQL is built from the EF model (tables,
/// columns, quoting, value conversions), so it follows the mapping. An idle connection holds no read transaction:
/// each check sees every commit, and WAL checkpoints are not held back.
/// </summary>
internal sealed class SendPermissionReader(IDbContextFactory<PreferenceCenterDbContext> dbFactory, int maxIdle = 16) : IAsyncDisposable
{
    private readonly ConcurrentQueue<Statement> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public async Task<bool> AllowedAsync(string phoneE164, Purpose purpose, string phoneKey, CancellationToken cancellationToken)
    {
        if (_idle.TryDequeue(out var statement))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            statement = await Statement.OpenAsync(dbFactory, cancellationToken);
        }

        bool allowed;
        try
        {
            allowed = await statement.ExecuteAsync(phoneE164, purpose, phoneKey, cancellationToken);
        }
        catch
        {
            // A connection that failed once is not trusted again.
            await statement.DisposeAsync();
            throw;
        }

        if (_disposed || Interlocked.Increment(ref _idleCount) > maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            await statement.DisposeAsync();
        }
        else
        {
            _idle.Enqueue(statement);
        }

        return allowed;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var statement))
        {
            await statement.DisposeAsync();
        }
    }

    private sealed class Statement(PreferenceCenterDbContext db, DbCommand command, Func<Purpose, object> statePurpose, Func<Purpose, object> suppressionPurpose) : IAsyncDisposable
    {
        public static async Task<Statement> OpenAsync(IDbContextFactory<PreferenceCenterDbContext> dbFactory, CancellationToken cancellationToken)
        {
            var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            try
            {
                // Opened explicitly, so EF keeps it open (with the app's pragmas) until the context is disposed.
                await db.Database.OpenConnectionAsync(cancellationToken);
                var sql = db.GetService<ISqlGenerationHelper>();
                var state = db.Model.FindEntityType(typeof(ConsentState))!;
                var stop = db.Model.FindEntityType(typeof(SmsSuppression))!;
                string Table(IEntityType e) => sql.DelimitIdentifier(e.GetTableName()!);
                string Column(IEntityType e, string property) => sql.DelimitIdentifier(e.FindProperty(property)!.GetColumnName());

                var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText =
                    $"SELECT EXISTS (SELECT 1 FROM {Table(state)} WHERE {Column(state, nameof(ConsentState.PhoneE164))} = @phone AND {Column(state, nameof(ConsentState.Purpose))} = @statePurpose AND {Column(state, nameof(ConsentState.Granted))} = @granted) " +
                    $"AND NOT EXISTS (SELECT 1 FROM {Table(stop)} WHERE {Column(stop, nameof(SmsSuppression.PhoneKey))} = @key AND {Column(stop, nameof(SmsSuppression.Purpose))} = @stopPurpose AND {Column(stop, nameof(SmsSuppression.LiftedAt))} IS NULL)";
                foreach (var name in new[] { "@phone", "@statePurpose", "@granted", "@key", "@stopPurpose" })
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }

                // Every parameter has a value of its type before preparing: PostgreSQL prepares with the types it is sent.
                command.Parameters["@granted"].Value = ToProvider(state, nameof(ConsentState.Granted), true);
                command.Parameters["@phone"].Value = string.Empty;
                command.Parameters["@key"].Value = string.Empty;
                command.Parameters["@statePurpose"].Value = ToProvider(state, nameof(ConsentState.Purpose), Purpose.AccountAlerts);
                command.Parameters["@stopPurpose"].Value = ToProvider(stop, nameof(SmsSuppression.Purpose), Purpose.AccountAlerts);
                await command.PrepareAsync(cancellationToken);
                return new Statement(db, command, p => ToProvider(state, nameof(ConsentState.Purpose), p), p => ToProvider(stop, nameof(SmsSuppression.Purpose), p));
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }

        public async Task<bool> ExecuteAsync(string phoneE164, Purpose purpose, string phoneKey, CancellationToken cancellationToken)
        {
            command.Parameters["@phone"].Value = phoneE164;
            command.Parameters["@statePurpose"].Value = statePurpose(purpose);
            command.Parameters["@key"].Value = phoneKey;
            command.Parameters["@stopPurpose"].Value = suppressionPurpose(purpose);
            return Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await db.DisposeAsync();
        }

        // The value as the column stores it (e.g. the purpose's name), through the model's own converter.
        private static object ToProvider(IEntityType entity, string property, object value) =>
            entity.FindProperty(property)!.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
    }
}
