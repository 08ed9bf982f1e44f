//! Markdown from sheets to HTML that cannot carry markup or script of its own.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Markdown rendered to HTML, with the relative addresses it links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Relative link and image targets as written, for the files to publish beside the page.
    pub links: Vec<String>,
}

/// Renders Markdown to safe HTML: raw HTML is shown as text; links keep only relative
/// addresses (through `resolve`, which gives the address of the published copy, or `None`
/// for a path that must not be published), `http(s):` and `mailto:`; images only relative
/// ones, since the site loads nothing from outside: any other image becomes a link.
pub fn render(text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut links = Vec::new();
    let mut images_as_links = Vec::new();
    let rebase = |url: CowStr<'_>, web: bool, links: &mut Vec<String>| -> CowStr<'static> {
        if is_relative(&url) {
            if url.starts_with('#') {
                return CowStr::from(url.into_string());
            }
            let cut = url.find(['?', '#']).unwrap_or(url.len());
            let (path, suffix) = url.split_at(cut);
            let path = decode_path(path);
            let found = resolve(&path);
            if !path.is_empty() {
                links.push(path);
            }
            match found {
                Some(href) => CowStr::from(format!("{href}{suffix}")),
                None => CowStr::Borrowed("#"),
            }
        } else if web && is_web(&url) {
            CowStr::from(url.into_string())
        } else {
            CowStr::Borrowed("#")
        }
    };
    let mut events = Vec::new();
    for event in Parser::new_ext(text, options) {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: rebase(dest_url, true, &mut links),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let relative = is_relative(&dest_url);
                images_as_links.push(!relative);
                let dest_url = rebase(dest_url, !relative, &mut links);
                if relative {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                } else {
                    Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    })
                }
            }
            Event::End(TagEnd::Image) => match images_as_links.pop() {
                Some(true) => Event::End(TagEnd::Link),
                _ => Event::End(TagEnd::Image),
            },
            other => other,
        };
        events.push(event);
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Rendered { html, links }
}

/// The relative addresses a text links to, without rendering it.
pub fn links(text: &str) -> Vec<String> {
    // Links and images need brackets; most notes have none.
    if !text.contains(']') {
        return Vec::new();
    }
    Parser::new_ext(text, Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_relative(&dest_url) && !dest_url.starts_with('#') =>
            {
                let cut = dest_url.find(['?', '#']).unwrap_or(dest_url.len());
                Some(decode_path(&dest_url[..cut])).filter(|p| !p.is_empty())
            }
            _ => None,
        })
        .collect()
}

/// A link's path as a file name: `%20` and the like decoded, when they make UTF-8.
fn decode_path(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// A path of the site as a URL: every byte outside the unreserved set percent-encoded, so
/// that `#`, `?`, `%` and spaces in file names still lead to the file.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn is_web(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

fn is_relative(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    !lower.starts_with("//")
        && !lower.starts_with('\\')
        && !lower.starts_with('/')
        && lower
            .split(['/', '?', '#'])
            .next()
            .is_none_or(|first| !first.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(path: &str) -> Option<String> {
        Some(path.to_string())
    }

    #[test]
    fn raw_html_and_script_are_text() {
        let html = render(
            "a <script>alert(1)</script> b\n\n<div onclick=x>c</div>\n",
            &keep,
        )
        .html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_links_are_disarmed() {
        for link in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = render(&format!("[x]({link})"), &keep).html;
            assert!(html.contains("href=\"#\""), "{link}: {html}");
        }
        let page = render("[x](evidence/a.pdf#p2) [y](../../etc)", &|p| {
            (!p.starts_with("..")).then(|| format!("../../files/{p}"))
        });
        assert!(
            page.html.contains("href=\"../../files/evidence/a.pdf#p2\""),
            "{}",
            page.html
        );
        assert!(page.html.contains("href=\"#\""), "{}", page.html);
        assert_eq!(page.links, ["evidence/a.pdf", "../../etc"]);
        assert!(
            render("[x](https://example.org/)", &keep)
                .html
                .contains("https://example.org/")
        );
    }

    #[test]
    fn remote_images_become_links() {
        let html = render(
            "![p](https://example.org/p.png) ![q](evidence/p.png)",
            &keep,
        )
        .html;
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(
            html.contains("<a href=\"https://example.org/p.png\">p</a>"),
            "{html}"
        );
    }

    #[test]
    fn links_are_the_ones_render_follows() {
        let text = "[a](evidence/a.pdf#p) ![b](b.png) [c](https://x.org/) [d](#top) [e]() plain";
        assert_eq!(links(text), render(text, &keep).links);
        assert_eq!(links(text), ["evidence/a.pdf", "b.png"]);
        assert_eq!(
            links("[a](scans/a%20b.pdf) [b](x%ZZ.pdf)"),
            ["scans/a b.pdf", "x%ZZ.pdf"]
        );
        assert!(links("no links here").is_empty());
    }

    #[test]
    fn keeps_formatting() {
        assert_eq!(
            render("**52 天**", &keep).html,
            "<p><strong>52 天</strong></p>\n"
        );
    }
}
