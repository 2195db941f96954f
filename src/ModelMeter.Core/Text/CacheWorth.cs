namespace ModelMeter.Core.Text;

/// <summary>
/// Whether a cache of repeated values is worth keeping, from its recent hit rate. Over each window of
/// <see cref="Window"/> lookups, a cache that found fewer than one in eight is paused for <see cref="Pause"/> lookups
/// (its owner empties it and makes each value afresh), then tried again. On a column where every row holds a value of
/// its own (a unique resource id or description), filling a cache only keeps each value alive long enough for the
/// garbage collector to copy it to an older generation: a million-row import of such a file spent more than half its
/// time in the collector, against a few percent for values that die young (BENCHMARKS.md).
/// </summary>
public struct CacheWorth
{
    public const int Window = 8192;

    public const int Pause = 65_536;

    private int _lookups;
    private int _hits;
    private int _paused;

    /// <summary>True while the cache is in use; false (counting down the pause) while it is paused.</summary>
    public bool InUse()
    {
        if (_paused == 0)
        {
            return true;
        }

        _paused--;
        return false;
    }

    /// <summary>Whether the cache is in use, without counting a lookup (after <see cref="Record"/> paused it, false).</summary>
    public readonly bool InUseNow => _paused == 0;

    /// <summary>Counts a lookup of a cache in use.</summary>
    /// <returns>True when the cache has just been paused: its owner should empty it.</returns>
    public bool Record(bool hit)
    {
        _lookups++;
        if (hit)
        {
            _hits++;
        }

        if (_lookups < Window)
        {
            return false;
        }

        var paused = _hits * 8 < _lookups;
        _lookups = 0;
        _hits = 0;
        if (paused)
        {
            _paused = Pause;
        }

        return paused;
    }
}
