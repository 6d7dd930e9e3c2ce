using Pipeline.Shared.Configuration;
using Pipeline.Signer.Routing;

namespace Pipeline.Signer.Tests.Routing;

public sealed class VirtualMtaSelectorTests
{
    private static VirtualMtaSelector Create() => new(new PipelineOptions
    {
        VirtualMtas =
        {
            ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" },
            ["mta2"] = new() { SourceIp = "127.0.0.3", HostName = "mta2.example.test" },
            ["mta3"] = new() { SourceIp = "127.0.0.4", HostName = "mta3.example.test" },
        },
        Pools =
        {
            [PipelineOptions.DefaultPool] = ["mta1"],
            ["bulk"] = ["mta2", "mta3", "mta1"],
        },
    });

    [Theory]
    [InlineData("mta1", "mta1")]
    [InlineData("mta3", "mta3")]
    [InlineData("MTA2", "mta2")]
    public void A_named_virtual_mta_is_returned_as_configured(string requested, string expected)
    {
        var selector = Create();

        Assert.Equal(expected, selector.Select(requested));
        Assert.Equal(expected, selector.Select(requested));
    }

    [Fact]
    public void A_pool_rotates_round_robin_across_its_members()
    {
        var selector = Create();

        var picks = Enumerable.Range(0, 7).Select(_ => selector.Select("bulk") ?? "(null)");

        Assert.Equal(["mta2", "mta3", "mta1", "mta2", "mta3", "mta1", "mta2"], picks);
    }

    [Fact]
    public void Pool_names_are_matched_without_regard_to_case_and_share_one_rotation()
    {
        var selector = Create();

        Assert.Equal("mta2", selector.Select("bulk"));
        Assert.Equal("mta3", selector.Select("BULK"));
        Assert.Equal("mta1", selector.Select("Bulk"));
    }

    [Fact]
    public void Pools_rotate_independently()
    {
        var selector = Create();

        Assert.Equal("mta2", selector.Select("bulk"));
        Assert.Equal("mta1", selector.Select(null));
        Assert.Equal("mta3", selector.Select("bulk"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_name_means_the_default_pool(string? requested)
    {
        var selector = new VirtualMtaSelector(new PipelineOptions
        {
            VirtualMtas =
            {
                ["a"] = new() { SourceIp = "127.0.0.2", HostName = "a.example.test" },
                ["b"] = new() { SourceIp = "127.0.0.3", HostName = "b.example.test" },
            },
            Pools = { [PipelineOptions.DefaultPool] = ["a", "b"] },
        });

        Assert.Equal(["a", "b", "a"], Enumerable.Range(0, 3).Select(_ => selector.Select(requested)));
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("mta")]
    [InlineData("mta1 ")]
    public void An_unknown_name_gives_null(string requested)
    {
        Assert.Null(Create().Select(requested));
    }

    [Fact]
    public void Concurrent_picks_from_a_pool_are_spread_evenly()
    {
        var selector = Create();
        var picks = new string?[3000];

        Parallel.For(0, picks.Length, i => picks[i] = selector.Select("bulk"));

        var counts = picks.GroupBy(p => p).ToDictionary(g => g.Key ?? "(null)", g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["mta1"] = 1000, ["mta2"] = 1000, ["mta3"] = 1000 }, counts);
    }

    [Fact]
    public void A_weighted_pool_gives_each_member_its_share_interleaved()
    {
        var options = new PipelineOptions();
        options.VirtualMtas["warm"] = new VirtualMtaOptions { SourceIp = "127.0.0.2", HostName = "warm.example.test" };
        options.VirtualMtas["cold"] = new VirtualMtaOptions { SourceIp = "127.0.0.3", HostName = "cold.example.test" };
        options.Pools["default"] = ["warm:3", "cold"];
        var selector = new VirtualMtaSelector(options);

        var picks = Enumerable.Range(0, 8).Select(_ => selector.Select(null)).ToList();

        Assert.Equal(6, picks.Count(p => p == "warm"));
        Assert.Equal(2, picks.Count(p => p == "cold"));
        // Smooth: the light member is not starved for three turns in a row at the start.
        Assert.Equal(["warm", "warm", "cold", "warm"], picks.Take(4));
    }
}
