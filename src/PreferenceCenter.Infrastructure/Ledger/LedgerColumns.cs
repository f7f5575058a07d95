using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// The ledger's SQL append in one provider's dialect and the storage formats the EF model uses there (see the entity
/// configurations and <c>PreferenceCenterDbContext.ConfigureConventions</c>). A round-trip test reads every column
/// back through EF, on each provider. Each statement is written once (see <see cref="Statements"/>) with <c>$name</c>
/// parameters; a dialect whose driver spells them differently rewrites them once, when the dialect is created.
/// </summary>
internal abstract partial class LedgerColumns
{
    public static LedgerColumns Sqlite { get; } = new SqliteLedgerColumns();

    public static LedgerColumns Postgres { get; } = new PostgresLedgerColumns();

    private readonly Statements _sql;

    private LedgerColumns(Func<string, string> dialect) => _sql = Statements.In(dialect);

    /// <summary>One row whatever exists: nulls where the (published) text, number, state, events or key are missing.</summary>
    public string ReadAppendContext => _sql.ReadAppendContext;

    public string InsertEvent => _sql.InsertEvent;

    public string InsertState => _sql.InsertState;

    /// <summary>LastSequence is the state's concurrency token: the update only lands on the state the append was decided on.</summary>
    public string UpdateState => _sql.UpdateState;

    /// <summary>
    /// <see cref="UpdateState"/> for a change on the number the state already has (every revoke, nearly every grant):
    /// leaving the number out of the SET means SQLite leaves the state's number index alone, one b-tree page fewer to
    /// write and sync per append.
    /// </summary>
    public string UpdateStateOnSameNumber => _sql.UpdateStateOnSameNumber;


    public string InsertLedgerKey => _sql.InsertLedgerKey;

    /// <summary>A grant's "you're subscribed" text, queued with the grant; its body is written when it is sent (ADR 0030).</summary>
    public string QueueConfirmation => _sql.QueueConfirmation;

    public string GrantedStates => _sql.GrantedStates;

    public string LiftSuppression => _sql.LiftSuppression;

    /// <summary>
    /// Taken inside the write transaction before the chain head is read, where the transaction itself does not
    /// serialise writers (null on SQLite, whose BEGIN IMMEDIATE already holds the one write lock).
    /// </summary>
    public abstract string? WriteLock { get; }

    /// <summary>The dialect of the database a context talks to (a <c>--connection</c> context may differ from the app's).</summary>
    public static LedgerColumns For(DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.IsNpgsql() ? Postgres : Sqlite;
    }

    public abstract object Id(Guid value);

    public abstract object Instant(DateTimeOffset value);

    /// <summary>An instant as this database keeps it, so what is sealed is exactly what is read back.</summary>
    public abstract DateTimeOffset Stored(DateTimeOffset value);

    public abstract string ParameterName(string name);

    /// <summary>A connection of the app's own for appends, opened and configured as the app's contexts are.</summary>
    public abstract Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken);

    /// <summary>A write transaction that holds the ledger's write lock before anything is read.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    public (string Name, object? Value)[] EventParameters(ConsentEvent e) => EventParameters(e, Id(e.Id), Id(e.CustomerId));

    /// <summary>With the event's and the customer's ids already in this dialect's form (each is bound in several statements of an append).</summary>
    public (string Name, object? Value)[] EventParameters(ConsentEvent e, object id, object customer) =>
    [
        ("$id", id),
        ("$sequence", e.Sequence),
        ("$customer", customer),
        ("$phone", e.PhoneE164),
        ("$purpose", e.Purpose.ToString()),
        ("$action", e.Action.ToString()),
        ("$occurredAt", Instant(e.OccurredAt)),
        ("$recordedAt", Instant(e.RecordedAt)),
        ("$method", e.Method),
        ("$actor", e.Actor),
        ("$ip", e.IpAddress),
        ("$userAgent", e.UserAgent),
        ("$locale", e.Locale),
        ("$reason", e.Reason),
        ("$textId", e.ConsentTextId),
        ("$textSha256", e.TextSha256),
        ("$origin", e.Origin),
        ("$encodingVersion", e.EncodingVersion),
        ("$personalDigest", e.PersonalDigest),
        ("$previousHash", e.PreviousHash),
        ("$hash", e.Hash),
    ];

    public (string Name, object? Value)[] ConfirmationParameters(ConsentEvent e, DateTimeOffset now) =>
    [
        ("$sequence", e.Sequence),
        ("$to", e.PhoneE164),
        ("$purpose", e.Purpose.ToString()),
        ("$textId", e.ConsentTextId),
        ("$now", Instant(now)),
    ];

    /// <summary>For <see cref="InsertState"/>.</summary>
    public (string Name, object? Value)[] StateParameters(ConsentEvent e, object id, object customer) =>
    [
        ("$customer", customer),
        ("$purpose", e.Purpose.ToString()),
        ("$granted", e.Action == ConsentAction.Granted),
        ("$phone", e.PhoneE164),
        ("$textId", e.ConsentTextId),
        ("$id", id),
        ("$sequence", e.Sequence),
        ("$occurredAt", Instant(e.OccurredAt)),
    ];

    /// <summary>For <see cref="UpdateState"/> (the number too) or <see cref="UpdateStateOnSameNumber"/>.</summary>
    public (string Name, object? Value)[] StateUpdateParameters(ConsentEvent e, object id, object customer, long expected, bool sameNumber) =>
        sameNumber
            ?
            [
                ("$customer", customer),
                ("$purpose", e.Purpose.ToString()),
                ("$granted", e.Action == ConsentAction.Granted),
                ("$textId", e.ConsentTextId),
                ("$id", id),
                ("$sequence", e.Sequence),
                ("$occurredAt", Instant(e.OccurredAt)),
                ("$expected", expected),
            ]
            : [.. StateParameters(e, id, customer), ("$expected", expected)];

    /// <summary>GUIDs as uppercase text, enums as their names, instants as UTC ticks; <c>$name</c> parameters.</summary>
    private sealed class SqliteLedgerColumns() : LedgerColumns(sql => sql)
    {
        public override string? WriteLock => null;

        public override object Id(Guid value) => value.ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant();

        public override object Instant(DateTimeOffset value) => value.UtcTicks;

        public override DateTimeOffset Stored(DateTimeOffset value) => value;

        public override string ParameterName(string name) => name;

        public override async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await SqliteDurabilityInterceptor.ConfigureAsync(connection, cancellationToken);
            return connection;
        }

        // BEGIN IMMEDIATE: SQLite's one write lock is taken before the chain head is read.
        public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    /// <summary>Native uuid, timestamptz (microseconds, UTC) and boolean; <c>@name</c> parameters.</summary>
    private sealed class PostgresLedgerColumns() : LedgerColumns(Statements.AtPlaceholders)
    {
        // Every instance appends under this one transaction-scoped lock, released by the commit or rollback (ADR 0018).
        public override string WriteLock => PostgresWriteLock.Sql;

        public override object Id(Guid value) => value;

        public override object Instant(DateTimeOffset value) => Stored(value);

        public override DateTimeOffset Stored(DateTimeOffset value) => PostgresInstant.Stored(value);

        public override string ParameterName(string name) => name.StartsWith('$') ? string.Concat("@", name.AsSpan(1)) : name;

        public override async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = WriteLock;
                await command.ExecuteNonQueryAsync(cancellationToken);
                return transaction;
            }
            catch
            {
                await transaction.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Each statement's text, written once in the portable subset both databases accept (<c>TRUE</c>, quoted
    /// identifiers) with <c>$name</c> placeholders; a dialect rewrites the placeholders once, at start.
    /// </summary>
    private sealed partial record Statements(
        string ReadAppendContext,
        string InsertEvent,
        string InsertState,
        string UpdateState,
        string UpdateStateOnSameNumber,
        string InsertLedgerKey,
        string QueueConfirmation,
        string GrantedStates,
        string LiftSuppression)
    {
        public static Statements In(Func<string, string> dialect) => new(
            dialect("""
                SELECT t."Purpose", t."Label", t."Body",
                    (SELECT p."PhoneE164" FROM "CustomerPhones" AS p WHERE p."CustomerId" = $c AND p."ReplacedAt" IS NULL LIMIT 1),
                    s."Granted", s."PhoneE164", s."LastSequence", head."Sequence", head."Hash",
                    (SELECT k."Key" FROM "CustomerLedgerKeys" AS k WHERE k."CustomerId" = $c),
                    s."ConsentTextId"
                FROM (SELECT 1) AS one
                LEFT JOIN "ConsentTexts" AS t ON t."Id" = $text AND t."Status" = 'Published'
                LEFT JOIN "ConsentStates" AS s ON s."CustomerId" = $c AND s."Purpose" = $p
                LEFT JOIN (SELECT "Sequence", "Hash" FROM "ConsentEvents" ORDER BY "Sequence" DESC LIMIT 1) AS head ON TRUE
                """),
            dialect("""
                INSERT INTO "ConsentEvents" ("Id", "Sequence", "CustomerId", "PhoneE164", "Purpose", "Action", "OccurredAt", "RecordedAt",
                    "Method", "Actor", "IpAddress", "UserAgent", "Locale", "Reason", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion",
                    "PersonalDigest", "PreviousHash", "Hash")
                VALUES ($id, $sequence, $customer, $phone, $purpose, $action, $occurredAt, $recordedAt,
                    $method, $actor, $ip, $userAgent, $locale, $reason, $textId, $textSha256, $origin, $encodingVersion,
                    $personalDigest, $previousHash, $hash)
                """),
            dialect("""
                INSERT INTO "ConsentStates" ("CustomerId", "Purpose", "Granted", "PhoneE164", "ConsentTextId", "LastEventId", "LastSequence", "ChangedAt")
                VALUES ($customer, $purpose, $granted, $phone, $textId, $id, $sequence, $occurredAt)
                """),
            dialect("""
                UPDATE "ConsentStates" SET "Granted" = $granted, "PhoneE164" = $phone, "ConsentTextId" = $textId, "LastEventId" = $id,
                    "LastSequence" = $sequence, "ChangedAt" = $occurredAt
                WHERE "CustomerId" = $customer AND "Purpose" = $purpose AND "LastSequence" = $expected
                """),
            dialect("""
                UPDATE "ConsentStates" SET "Granted" = $granted, "ConsentTextId" = $textId, "LastEventId" = $id,
                    "LastSequence" = $sequence, "ChangedAt" = $occurredAt
                WHERE "CustomerId" = $customer AND "Purpose" = $purpose AND "LastSequence" = $expected
                """),
            dialect("""INSERT INTO "CustomerLedgerKeys" ("CustomerId", "Key") VALUES ($c, $key)"""),
            dialect("""
                INSERT INTO "PendingConfirmations" ("GrantSequence", "ToE164", "Purpose", "ConsentTextId", "CreatedAt")
                VALUES ($sequence, $to, $purpose, $textId, $now)
                """),
            dialect("""SELECT "Purpose", "PhoneE164", "ConsentTextId" FROM "ConsentStates" WHERE "CustomerId" = $c AND "Granted" = TRUE"""),
            dialect("""UPDATE "SmsSuppressions" SET "LiftedAt" = $now WHERE "PhoneKey" = $key AND "Purpose" = $p AND "LiftedAt" IS NULL"""));

        /// <summary>Npgsql names parameters <c>@name</c>.</summary>
        public static string AtPlaceholders(string sql) => DollarPlaceholder().Replace(sql, "@");

        [System.Text.RegularExpressions.GeneratedRegex(@"\$(?=[A-Za-z])")]
        private static partial System.Text.RegularExpressions.Regex DollarPlaceholder();
    }
}
