using ModelMeter.Application.Attribution;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>Tag compliance (<c>tags</c>): the share of cost fully tagged, per key, the largest untagged resources.</summary>
public sealed class TagsModel(Caller caller, TagsUseCase tags) : DashboardPage(caller)
{
    public TagComplianceResult? Compliance { get; private set; }

    public void OnGet() => Compliance = Try(() => tags.Run(new TagsRequest { Store = Caller.Store, Access = Caller.Access, Query = Query() }));
}
