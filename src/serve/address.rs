//! Where the site can be opened, and the warning when machines other than this one can.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

use crate::model::Lang;

/// What `serve` says when it starts: a warning for the terminal when other machines can open
/// the site, and the line that says where it is served.
pub struct Announcement {
    pub warning: Option<String>,
    pub serving: String,
}

pub fn announce(local: SocketAddr, lang: Lang) -> Announcement {
    let ip = local.ip();
    let port = local.port();
    let tail = match lang {
        Lang::Zh => "修改 content/ 或 themes/ 后自动重建；按 Ctrl-C 停止",
        Lang::En => "rebuilt on every change to content/ or themes/; Ctrl-C stops",
    };
    if ip.to_canonical().is_loopback() {
        let serving = match lang {
            Lang::Zh => format!("正在提供 http://{local}/ （{tail}）"),
            Lang::En => format!("serving http://{local}/ ({tail})"),
        };
        return Announcement {
            warning: None,
            serving,
        };
    }
    let urls: Vec<String> = if ip.is_unspecified() {
        let found = this_machine(ip);
        if found.is_empty() {
            vec![format!("http://{}:{port}/", host_name(lang))]
        } else {
            found
                .into_iter()
                .map(|ip| format!("http://{}/", SocketAddr::new(ip, port)))
                .collect()
        }
    } else {
        vec![format!("http://{local}/")]
    };
    // Listening on every address includes this machine's own.
    let here = ip.is_unspecified().then(|| {
        let loopback = match ip {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        };
        format!("http://{}/", SocketAddr::new(loopback, port))
    });
    let (warning, serving) = match lang {
        Lang::Zh => (
            format!(
                "警告：--bind {ip} 让网络上的其他电脑也能打开本网站，包括未定稿的评分和错误信息；请只在可信的网络中这样做。其他电脑请打开 {}",
                urls.join(" 或 ")
            ),
            match &here {
                Some(here) => format!("正在提供 {} （本机：{here}；{tail}）", urls.join("、")),
                None => format!("正在提供 {} （{tail}）", urls.join("、")),
            },
        ),
        Lang::En => (
            format!(
                "warning: --bind {ip} lets other machines on the network open this site, drafts and problems included; do this only on a network you trust. From other machines open {}",
                urls.join(" or ")
            ),
            match &here {
                Some(here) => format!(
                    "serving {} (this machine: {here}; {tail})",
                    urls.join(" and ")
                ),
                None => format!("serving {} ({tail})", urls.join(" and ")),
            },
        ),
    };
    Announcement {
        warning: Some(warning),
        serving,
    }
}

/// This machine's addresses on its networks, for a server listening on all of them: the
/// address the system would send from to a private network, found without sending anything.
fn this_machine(unspecified: IpAddr) -> Vec<IpAddr> {
    let v6 = ["[fd00::1]:9"];
    let v4 = ["192.168.0.1:9", "10.0.0.1:9", "172.16.0.1:9"];
    let targets: Vec<&str> = match unspecified {
        IpAddr::V4(_) => v4.to_vec(),
        // On Windows `::` takes IPv6 connections only.
        IpAddr::V6(_) if cfg!(windows) => v6.to_vec(),
        IpAddr::V6(_) => v6.iter().chain(&v4).copied().collect(),
    };
    let mut found = Vec::new();
    for target in targets {
        if let Some(ip) = target
            .parse::<SocketAddr>()
            .ok()
            .and_then(source_towards)
            .filter(|ip| !found.contains(ip))
        {
            found.push(ip);
        }
    }
    found
}

/// The local address of a UDP socket "connected" to `target`: connecting sends no packet.
fn source_towards(target: SocketAddr) -> Option<IpAddr> {
    let any = match target {
        SocketAddr::V4(_) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        SocketAddr::V6(_) => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
    };
    let socket = UdpSocket::bind(any).ok()?;
    socket.connect(target).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    let link_local = matches!(ip, IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80);
    (!ip.is_unspecified() && !ip.is_loopback() && !link_local).then_some(ip)
}

/// This machine's name, for when no address of it was found.
fn host_name(lang: Lang) -> String {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|f| std::fs::read_to_string(f).ok());
    from_file
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| match lang {
            Lang::Zh => "<本机地址>".to_string(),
            Lang::En => "<this machine's address>".to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_served_quietly() {
        let said = announce("127.0.0.1:1111".parse().unwrap(), Lang::En);
        assert!(said.warning.is_none());
        assert!(said.serving.starts_with("serving http://127.0.0.1:1111/ ("));
    }

    #[test]
    fn every_address_warns_and_names_reachable_ones() {
        let said = announce("0.0.0.0:1111".parse().unwrap(), Lang::En);
        let warning = said.warning.unwrap_or_default();
        assert!(warning.contains("other machines"), "{warning}");
        assert!(!said.serving.contains("0.0.0.0"), "{}", said.serving);
        assert!(
            said.serving
                .contains("this machine: http://127.0.0.1:1111/"),
            "{}",
            said.serving
        );
        let said = announce("192.0.2.7:80".parse().unwrap(), Lang::Zh);
        assert!(
            said.warning
                .is_some_and(|w| w.contains("http://192.0.2.7:80/"))
        );
        assert!(!said.serving.contains("本机"), "{}", said.serving);
    }
}
