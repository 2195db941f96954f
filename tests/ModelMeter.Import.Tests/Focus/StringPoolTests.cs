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
}
