using System.Runtime.InteropServices;
using PreferenceCenter.Domain.Ledger;
using SQLitePCL;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// Column reads straight from the SQLite library Microsoft.Data.Sqlite's bundle loads (e_sqlite3). SQLitePCL's
/// wrapper adds a handle reference count and an interface call to each read, which cost more than the read itself;
/// the verifier makes about thirty reads per event. The calls only read the current row (no locks, no callbacks into
/// .NET), which is what <see cref="SuppressGCTransitionAttribute"/> requires.
/// </summary>
internal static unsafe partial class NativeColumns
{
    private const string Library = "e_sqlite3";
    private const int SqliteNull = 5;

    public static IntPtr Of(sqlite3_stmt statement) => statement.DangerousGetHandle();

    /// <summary>A text (or blob) column as the bytes SQLite holds, valid until the next step.</summary>
    public static Utf8Field Text(IntPtr statement, int column)
    {
        // No bytes means NULL or empty; only then is the type asked for (one call less on nearly every column).
        var bytes = sqlite3_column_blob(statement, column);
        if (bytes == IntPtr.Zero)
        {
            return sqlite3_column_type(statement, column) == SqliteNull ? Utf8Field.Null : new Utf8Field([], isNull: false);
        }

        return new Utf8Field(new ReadOnlySpan<byte>((void*)bytes, sqlite3_column_bytes(statement, column)), isNull: false);
    }

    public static long Int64(IntPtr statement, int column) => sqlite3_column_int64(statement, column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial int sqlite3_column_type(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial IntPtr sqlite3_column_blob(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial int sqlite3_column_bytes(IntPtr statement, int column);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial long sqlite3_column_int64(IntPtr statement, int column);
}
