import * as cheerio from 'cheerio';

/** The hrefs a page links to: every `<a href>` and its canonical link, resolved against its base. */
export function pageLinks(html: string, pageUrl: string): string[] {
  const $ = cheerio.load(html);
  const baseHref = $('base[href]').first().attr('href');
  const base = baseHref && URL.canParse(baseHref, pageUrl) ? new URL(baseHref, pageUrl).toString() : pageUrl;
  const links: string[] = [];
  $('a[href], link[rel~="canonical"][href]').each((_, element) => {
    const href = $(element).attr('href');
    if (!href || URL.canParse(href, base) === false) return;
    links.push(new URL(href, base).toString());
  });
  return links;
}

/** The page URLs a sitemap lists, and the child sitemaps a sitemap index lists. */
export function sitemapEntries(xml: string): { pages: string[]; sitemaps: string[] } {
  const $ = cheerio.load(xml, { xml: true });
  const locs = (selector: string) => $(selector).map((_, element) => $(element).text().trim()).get().filter(Boolean);
  return { pages: locs('urlset > url > loc'), sitemaps: locs('sitemapindex > sitemap > loc') };
}
