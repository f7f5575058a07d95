using DiffPlex;
using DiffPlex.Chunkers;

namespace PreferenceCenter.Domain.Consents;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>A run of words that stayed, went or came.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>Word-level difference between two wordings, for the "what changed" notice (DiffPlex).</summary>
public static class ConsentTextDiff
{
    public static IReadOnlyList<DiffSegment> Words(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var segments = new List<DiffSegment>();
        var a = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(segments, DiffKind.Same, result.PiecesOld, a, block.DeleteStartA - a);
            Add(segments, DiffKind.Removed, result.PiecesOld, block.DeleteStartA, block.DeleteCountA);
            Add(segments, DiffKind.Added, result.PiecesNew, block.InsertStartB, block.InsertCountB);
            a = block.DeleteStartA + block.DeleteCountA;
        }

        Add(segments, DiffKind.Same, result.PiecesOld, a, result.PiecesOld.Count - a);
        return Coalesce(segments);
    }

    /// <summary>
    /// Words are matched one by one, so a lone space kept between two changed words splits one change into many
    /// ("Added: partner", "Added: deals"). A whitespace-only run between changes joins them into one removed and
    /// one added run, the way a person reads it.
    /// </summary>
    private static List<DiffSegment> Coalesce(List<DiffSegment> segments)
    {
        var output = new List<DiffSegment>();
        string removed = string.Empty, added = string.Empty, held = string.Empty;
        void Flush()
        {
            if (removed.Trim().Length > 0)
            {
                output.Add(new DiffSegment(DiffKind.Removed, removed));
            }

            if (added.Trim().Length > 0)
            {
                output.Add(new DiffSegment(DiffKind.Added, added));
            }

            // A side that changed only in spacing: keep the space as plain text rather than "Removed: (nothing)".
            var spacing = removed.Length > 0 && removed.Trim().Length == 0 ? removed : added.Length > 0 && added.Trim().Length == 0 ? added : null;
            if (spacing is not null)
            {
                output.Add(new DiffSegment(DiffKind.Same, spacing));
            }

            removed = added = string.Empty;
        }

        foreach (var segment in segments)
        {
            var inChange = removed.Length + added.Length > 0;
            if (segment.Kind == DiffKind.Same && inChange && string.IsNullOrWhiteSpace(segment.Text))
            {
                held += segment.Text;
            }
            else if (segment.Kind == DiffKind.Same)
            {
                Flush();
                output.Add(new DiffSegment(DiffKind.Same, held + segment.Text));
                held = string.Empty;
            }
            else
            {
                // The held space sits inside the change on both sides.
                removed += held;
                added += held;
                held = string.Empty;
                if (segment.Kind == DiffKind.Removed)
                {
                    removed += segment.Text;
                }
                else
                {
                    added += segment.Text;
                }
            }
        }

        Flush();
        if (held.Length > 0)
        {
            output.Add(new DiffSegment(DiffKind.Same, held));
        }

        return output;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, IReadOnlyList<string> pieces, int start, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var text = string.Concat(pieces.Skip(start).Take(count));
        if (segments.Count > 0 && segments[^1].Kind == kind)
        {
            segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
        }
        else
        {
            segments.Add(new DiffSegment(kind, text));
        }
    }
}
