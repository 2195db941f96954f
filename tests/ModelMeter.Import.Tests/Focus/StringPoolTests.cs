using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>The per-column string pool of the FOCUS parser: one instance per repeated value, bounded in entries and in text.</summary>
public class StringPoolTests
{
    [Fact]
    public void ARepeatedValue_IsOneInstance()
    {
        var pool = new StringPool();

        var first = pool.Get("us-east-1".AsSpan());

        ReferenceEquals(pool.Get("us-east-1".AsSpan()), first).ShouldBeTrue();
        pool.Get("eu-west-1".AsSpan()).ShouldBe("eu-west-1");
    }

    [Fact]
    public void PastItsTextBudget_ThePoolStartsAfresh_SoUniqueLongValuesDoNotAccumulate()
    {
        // Given a pool of at most 20 characters of text, holding one 12-character value
        var pool = new StringPool(capacity: 1000, maxChars: 20);
        var first = pool.Get("description1".AsSpan());
        ReferenceEquals(pool.Get("description1".AsSpan()), first).ShouldBeTrue();

        // When a second long value would pass the budget
        pool.Get("description2".AsSpan()).ShouldBe("description2");

        // Then the pool was emptied first: the earlier value is a new instance the next time
        var again = pool.Get("description1".AsSpan());
        again.ShouldBe("description1");
        ReferenceEquals(again, first).ShouldBeFalse();
    }

    [Fact]
    public void PastItsEntryCapacity_ThePoolStartsAfresh()
    {
        var pool = new StringPool(capacity: 2);
        var a = pool.Get("a".AsSpan());
        pool.Get("b".AsSpan());
        pool.Get("c".AsSpan());

        ReferenceEquals(pool.Get("a".AsSpan()), a).ShouldBeFalse();
    }

    [Fact]
    public void OnAColumnOfUniqueValues_ThePoolPauses_ThenResumesAndFindsRepeatsAgain()
    {
        // Given a column where no value repeats for a whole window of lookups
        var pool = new StringPool();
        for (var i = 0; i < Core.Text.CacheWorth.Window; i++)
        {
            pool.Get($"resource-{i}".AsSpan());
        }

        // Then, paused, it keeps nothing: a value asked for twice is two instances (each dies young)
        var first = pool.Get("gpu-1".AsSpan());
        var second = pool.Get("gpu-1".AsSpan());
        second.ShouldBe("gpu-1");
        ReferenceEquals(first, second).ShouldBeFalse();

        // And after the pause it pools again
        for (var i = 0; i < Core.Text.CacheWorth.Pause; i++)
        {
            pool.Get("x".AsSpan());
        }

        var resumed = pool.Get("gpu-1".AsSpan());
        ReferenceEquals(pool.Get("gpu-1".AsSpan()), resumed).ShouldBeTrue();
    }

    [Fact]
    public void OnAColumnOfRepeatedValues_ThePoolNeverPauses()
    {
        var pool = new StringPool();
        var region = pool.Get("us-east-1".AsSpan());
        for (var i = 0; i < 3 * Core.Text.CacheWorth.Window; i++)
        {
            // One new value in four lookups: a hit rate of 75%, far above the 1-in-8 floor.
            pool.Get(i % 4 == 0 ? $"r{i}".AsSpan() : "us-east-1".AsSpan());
        }

        ReferenceEquals(pool.Get("us-east-1".AsSpan()), region).ShouldBeTrue();
    }
}
