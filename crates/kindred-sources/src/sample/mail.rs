//! Rendering: one planned message as RFC 5322 text the way a Gmail Takeout mbox holds it —
//! `X-GM-THRID` and `X-Gmail-Labels` first, transport headers on received mail, then the
//! message and its MIME body in the shape the sender's mail program gives it.

use std::fmt::{self, Write};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::{America, Tz};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::body::{compose, Own};
use super::calendar::{when, Ics, Meeting};
use super::plan::{Kind, Thread};
use super::text::{
    base64, expand, fresh, header_text, html_escape, noise, pick, quoted_printable, random_chars,
    rng_for, wrap, ALNUM, LOWER_HEX, UPPER_HEX,
};
use super::words::{self, Bulk, BULK, CULTURES};
use super::world::{Circle, MailClient, Tier, World, ME, ME_ALIAS};
use super::SAMPLE_ME;

const DATE_FORMAT: &str = "%a, %d %b %Y %H:%M:%S %z";

/// How a body part is encoded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// 7bit when ASCII, else 8bit.
    Raw,
    QuotedPrintable,
    Base64,
}

/// The previous message as a reply quotes it.
struct Quote {
    attribution: String,
    text: String,
    style: MailClient,
}

impl Quote {
    fn plain(&self, out: &mut String) {
        out.push('\n');
        match self.style {
            MailClient::Outlook => {
                out.push_str(&self.attribution);
                out.push_str(&self.text);
            }
            MailClient::Apple => {
                let _ = writeln!(out, "> {}\n> ", self.attribution);
                prefix(&self.text, out);
            }
            MailClient::Plain => {
                out.push_str(&self.attribution);
                out.push('\n');
                prefix(&self.text, out);
            }
            MailClient::Gmail | MailClient::HtmlOnly => {
                out.push_str(&self.attribution);
                out.push_str("\n\n");
                prefix(&self.text, out);
            }
        }
    }

    fn html(&self, out: &mut String) {
        out.push_str("<br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">");
        html_escape(self.attribution.trim_end(), out);
        out.push_str(
            "<br></div><blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px \
            0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">\n",
        );
        html_escape(&self.text, out);
        out.push_str("</blockquote></div>\n");
    }
}

/// Appends `text` with each line quoted by `>`.
fn prefix(text: &str, out: &mut String) {
    for line in text.lines() {
        if line.is_empty() {
            out.push('>');
        } else if line.starts_with('>') {
            out.push('>');
            out.push_str(line);
        } else {
            out.push_str("> ");
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Turns planned messages into mail.
pub(super) struct Renderer<'w> {
    pub world: &'w World,
    pub seed: u64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Renderer<'_> {
    fn day(&self, at: DateTime<Utc>) -> i64 {
        (at - self.start).num_days()
    }

    fn me_address(thread: &Thread) -> &'static str {
        if thread.alias {
            ME_ALIAS
        } else {
            SAMPLE_ME
        }
    }

    fn zone(&self, who: u32) -> Tz {
        self.world.people[who as usize].zone
    }

    /// The address message `k` of `thread` is sent from.
    pub fn sender(&self, thread: &Thread, k: usize) -> String {
        let step = &thread.steps[k];
        match thread.kind {
            Kind::Bulk(i, _) => BULK[i].address.to_owned(),
            _ if step.from == ME => Self::me_address(thread).to_owned(),
            _ => self.world.address(step.from, self.day(step.at)),
        }
    }

    /// Writes message `k` of `thread` to `out`.
    pub fn message(&self, thread: &Thread, k: usize, out: &mut String) -> fmt::Result {
        let mut rng = rng_for(self.seed, &[thread.id, k as u64, 2]);
        match &thread.kind {
            Kind::Bulk(i, variant) => self.bulk(thread, (&BULK[*i], *variant), &mut rng, out),
            Kind::Invite(meeting) => self.invite(thread, meeting, &mut rng, out),
            Kind::Human | Kind::Intro { .. } => self.human(thread, k, &mut rng, out),
        }
    }

    /// `Name <address>` with the name encoded when it is not ASCII.
    fn mailbox(&self, thread: &Thread, who: u32, day: i64, upper: bool, out: &mut String) {
        let (name, address) = if who == ME {
            (
                Some("Maya Lindqvist".to_owned()),
                Self::me_address(thread).to_owned(),
            )
        } else {
            (self.world.display_name(who), self.world.address(who, day))
        };
        let address = if upper {
            address.to_uppercase()
        } else {
            address
        };
        match name {
            None => out.push_str(&address),
            Some(name) => {
                if !name.is_ascii() {
                    header_text(&name, out);
                } else if name.contains(',') || name.contains('\'') {
                    out.push('"');
                    out.push_str(&name);
                    out.push('"');
                } else {
                    out.push_str(&name);
                }
                out.push_str(" <");
                out.push_str(&address);
                out.push('>');
            }
        }
    }

    /// The To and Cc headers of step `k`, folded; others sometimes type an address in
    /// capitals.
    fn recipients(&self, thread: &Thread, k: usize, rng: &mut ChaCha8Rng, out: &mut String) {
        let step = &thread.steps[k];
        for (header, people) in [("To", &step.to), ("Cc", &step.cc)] {
            if !people.is_empty() {
                self.address_list(header, thread, (people, step.from), step.at, rng, out);
            }
        }
    }

    fn address_list(
        &self,
        header: &str,
        thread: &Thread,
        (people, writer): (&[u32], u32),
        at: DateTime<Utc>,
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) {
        out.push_str(header);
        out.push_str(": ");
        let mut column = header.len() + 2;
        let day = self.day(at);
        for (i, &who) in people.iter().enumerate() {
            let upper = who != writer && self.world.people[who as usize].upper && rng.gen_bool(0.5);
            let mut item = String::new();
            self.mailbox(thread, who, day, upper, &mut item);
            if i > 0 {
                out.push(',');
                if column + item.len() + 2 > 78 {
                    out.push_str("\n ");
                    column = 1;
                } else {
                    out.push(' ');
                    column += 2;
                }
            }
            out.push_str(&item);
            column += item.len();
        }
        out.push('\n');
    }

    fn gmail_headers(&self, thread: &Thread, labels: &str, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "X-GM-THRID: {}",
            1_700_000_000_000_000_000 + thread.id * 7_919
        )?;
        writeln!(out, "X-Gmail-Labels: {labels}")
    }

    /// The headers a received message gains on its way in.
    fn transport(
        &self,
        from: &str,
        at: DateTime<Utc>,
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) -> fmt::Result {
        let domain = from.rsplit_once('@').map_or(from, |(_, d)| d);
        let host = match domain {
            "gmail.com" => format!("mail-{}.google.com", short(rng, 10)),
            "outlook.com" => format!(
                "EUR0{}-DB{}-obe.outbound.protection.outlook.com",
                rng.gen_range(1..6),
                rng.gen_range(3..9)
            ),
            "yahoo.com" => format!(
                "sonic{}-{}.consmr.mail.ir2.yahoo.com",
                rng.gen_range(300..320),
                rng.gen_range(1..60)
            ),
            _ => format!("mail-{}.{domain}", short(rng, 6).to_lowercase()),
        };
        let ip = format!(
            "{}.{}",
            ["192.0.2", "198.51.100", "203.0.113"][rng.gen_range(0..3)],
            rng.gen_range(1..255)
        );
        let received =
            (at + Duration::seconds(rng.gen_range(1..6))).with_timezone(&America::Los_Angeles);
        let stamp = received.format("%a, %d %b %Y %H:%M:%S %z (%Z)");
        writeln!(out, "Delivered-To: {SAMPLE_ME}")?;
        writeln!(
            out,
            "Received: by 2002:a05:{:x}:{:x} with SMTP id {};\n        {stamp}",
            rng.gen::<u16>(),
            rng.gen::<u16>(),
            short(rng, 10).to_lowercase()
        )?;
        writeln!(out, "Return-Path: <{from}>")?;
        writeln!(
            out,
            "Received: from {host} ({host}. [{ip}])\n        by mx.google.com with ESMTPS id \
                {}.{}\n        for <{SAMPLE_ME}>\n        (version=TLS1_3 \
                cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        {stamp}",
            short(rng, 16).to_lowercase(),
            rng.gen_range(1_000..10_000)
        )?;
        let mut signature = [0u8; 256];
        noise(rng, &mut signature);
        let mut hash = [0u8; 32];
        noise(rng, &mut hash);
        let (mut b, mut bh) = (String::with_capacity(360), String::with_capacity(48));
        base64(&signature, 0, &mut b);
        base64(&hash, 0, &mut bh);
        writeln!(
            out,
            "Authentication-Results: mx.google.com;\n       dkim=pass header.i=@{domain} \
                header.s=s1 header.b={};\n       spf=pass (google.com: domain of {from} \
                designates {ip} as permitted sender) smtp.mailfrom={from};\n       dmarc=pass \
                (p=NONE sp=NONE dis=NONE) header.from={domain}",
            &b[..8]
        )?;
        write!(
            out,
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d={domain}; s=s1; \
                t={};\n        h=mime-version:from:date:message-id:subject:to:cc;\n        \
                bh={bh};\n        b=",
            at.timestamp()
        )?;
        for (i, chunk) in b.as_bytes().chunks(70).enumerate() {
            if i > 0 {
                out.push_str("\n         ");
            }
            out.push_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?);
        }
        out.push('\n');
        Ok(())
    }

    fn labels(&self, thread: &Thread, k: usize, rng: &mut ChaCha8Rng) -> String {
        let step = &thread.steps[k];
        let mut labels = String::new();
        if step.from == ME && !matches!(thread.kind, Kind::Bulk(..)) {
            labels.push_str("Sent");
        } else {
            let age = (self.end - step.at).num_days();
            labels.push_str(if age > 30 && rng.gen_bool(0.5) {
                "Archived"
            } else {
                "Inbox"
            });
            let tier = self.world.people[step.from as usize].tier;
            if matches!(thread.kind, Kind::Human | Kind::Intro { .. })
                && (tier == Tier::Close || (tier == Tier::Middle && rng.gen_bool(0.5)))
            {
                labels.push_str(",Important");
            }
            labels.push_str(if age < 3 && rng.gen_bool(0.5) {
                ",Unread"
            } else {
                ",Opened"
            });
        }
        match thread.kind {
            Kind::Bulk(i, _) => {
                labels.push(',');
                labels.push_str(BULK[i].label);
            }
            Kind::Invite(_) => labels.push_str(",Category Updates"),
            Kind::Human | Kind::Intro { .. } => {
                if step.from != ME {
                    labels.push_str(",Category Personal");
                }
                if thread.labelled {
                    labels.push_str(",Projects/");
                    labels.push_str(thread.project);
                }
                match thread.circle {
                    Circle::Family => labels.push_str(",Family"),
                    Circle::Client => labels.push_str(",Clients/Northwind"),
                    _ => {}
                }
            }
        }
        labels
    }

    fn human(
        &self,
        thread: &Thread,
        k: usize,
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) -> fmt::Result {
        let step = &thread.steps[k];
        let from = step.from;
        let sender = &self.world.people[from as usize];
        let client = if thread.alias && from == ME {
            MailClient::Gmail
        } else {
            sender.client
        };
        let labels = self.labels(thread, k, rng);
        self.gmail_headers(thread, &labels, out)?;
        if from != ME {
            self.transport(&self.sender(thread, k), step.at, rng, out)?;
        }
        out.push_str("MIME-Version: 1.0\n");
        let local = step.at.with_timezone(&sender.zone);
        write!(out, "Date: {}", local.format(DATE_FORMAT))?;
        if client == MailClient::Gmail && rng.gen_bool(0.3) {
            write!(out, " ({})", local.format("%Z"))?;
        }
        out.push_str("\nFrom: ");
        self.mailbox(thread, from, self.day(step.at), false, out);
        out.push('\n');
        self.recipients(thread, k, rng, out);
        out.push_str("Subject: ");
        let mut subject = String::new();
        if k > 0 {
            subject.push_str(match client {
                MailClient::Outlook => CULTURES[sender.culture].reply_prefix,
                _ => "Re: ",
            });
        }
        subject.push_str(&thread.subject);
        header_text(&subject, out);
        writeln!(out, "\nMessage-ID: {}", thread.steps[k].id)?;
        if k > 0 {
            writeln!(out, "In-Reply-To: {}", thread.steps[k - 1].id)?;
            out.push_str("References:");
            for j in 0..k {
                writeln!(out, " {}", thread.steps[j].id)?;
            }
        }
        match client {
            MailClient::Outlook => {
                out.push_str("Thread-Topic: ");
                header_text(&thread.subject, out);
                out.push_str("\nThread-Index: AQH");
                random_chars(rng, ALNUM, 25 + 4 * k, out);
                out.push_str("\nContent-Language: en-US\nX-MS-Has-Attach: \n");
            }
            MailClient::Apple => out.push_str("X-Mailer: Apple Mail (2.3774.500.171.1.1)\n"),
            MailClient::Plain => out.push_str("User-Agent: Mozilla Thunderbird\n"),
            MailClient::Gmail | MailClient::HtmlOnly => {}
        }
        let own = compose(self.world, self.seed, thread, k)?;
        let quote = if own.short {
            None
        } else {
            self.quote(thread, k, 2)?
        };
        self.human_body(thread, &own, quote.as_ref(), client, rng, out)
    }

    /// The previous message as message `k` quotes it, down to `depth` levels.
    fn quote(&self, thread: &Thread, k: usize, depth: usize) -> Result<Option<Quote>, fmt::Error> {
        if k == 0 || depth == 0 {
            return Ok(None);
        }
        let (step, previous) = (&thread.steps[k], &thread.steps[k - 1]);
        let style = self.world.people[step.from as usize].client;
        let local = previous.at.with_timezone(&self.zone(step.from));
        let name = if previous.from == ME {
            "Maya Lindqvist".to_owned()
        } else {
            self.world.full_name(previous.from)
        };
        let address = self.sender(thread, k - 1);
        let mut attribution = String::new();
        match style {
            MailClient::Outlook => {
                write!(
                    attribution,
                    "________________________________\nFrom: {name} <{address}>\nSent: {}\nTo: ",
                    local.format("%A, %B %-d, %Y %-I:%M %p")
                )?;
                let to: Vec<String> = previous
                    .to
                    .iter()
                    .map(|&t| {
                        if t == ME {
                            "Maya Lindqvist".to_owned()
                        } else {
                            self.world.full_name(t)
                        }
                    })
                    .collect();
                writeln!(
                    attribution,
                    "{}\nSubject: {}\n",
                    to.join("; "),
                    thread.subject
                )?;
            }
            MailClient::Apple => write!(
                attribution,
                "On {}, at {}, {name} <{address}> wrote:",
                local.format("%-d %b %Y"),
                local.format("%H:%M")
            )?,
            MailClient::Plain => write!(
                attribution,
                "On {}, {name} wrote:",
                local.format("%d/%m/%Y %H:%M")
            )?,
            MailClient::Gmail | MailClient::HtmlOnly => {
                write!(
                    attribution,
                    "On {}, {name} <{address}> wrote:",
                    local.format("%a, %-d %b %Y at %H:%M")
                )?;
            }
        }
        let mut text = String::new();
        let own = compose(self.world, self.seed, thread, k - 1)?;
        own.plain(&mut text);
        if !own.short {
            if let Some(inner) = self.quote(thread, k - 1, depth - 1)? {
                inner.plain(&mut text);
            }
        }
        Ok(Some(Quote {
            attribution,
            text,
            style,
        }))
    }

    fn human_body(
        &self,
        thread: &Thread,
        own: &Own,
        quote: Option<&Quote>,
        client: MailClient,
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) -> fmt::Result {
        let mut text = String::new();
        own.plain(&mut text);
        if let Some(quote) = quote {
            quote.plain(&mut text);
        }
        let html = || {
            let mut html = String::new();
            if matches!(client, MailClient::Outlook | MailClient::HtmlOnly) {
                html.push_str(
                    "<html><head><meta http-equiv=\"Content-Type\" \
                    content=\"text/html; charset=utf-8\"></head><body>\n",
                );
            }
            own.html(&mut html);
            if let Some(quote) = quote {
                quote.html(&mut html);
            }
            if matches!(client, MailClient::Outlook | MailClient::HtmlOnly) {
                html.push_str("</body></html>\n");
            }
            html
        };
        let attach = !own.short && rng.gen_bool(0.03);
        let outer = boundary(client, rng, 0);
        if attach {
            writeln!(
                out,
                "Content-Type: multipart/mixed; boundary=\"{outer}\"\n\n--{outer}"
            )?;
        }
        let text_encoding = if client == MailClient::Plain {
            Encoding::Raw
        } else {
            Encoding::QuotedPrintable
        };
        match client {
            MailClient::Gmail | MailClient::Outlook => {
                let inner = boundary(client, rng, 1);
                writeln!(
                    out,
                    "Content-Type: multipart/alternative; boundary=\"{inner}\"\n\n--{inner}"
                )?;
                part(out, "text/plain", "", &text, text_encoding)?;
                writeln!(out, "--{inner}")?;
                part(out, "text/html", "", &html(), Encoding::QuotedPrintable)?;
                writeln!(out, "--{inner}--")?;
            }
            MailClient::Apple => part(out, "text/plain", "", &text, text_encoding)?,
            MailClient::Plain => part(out, "text/plain", "; format=flowed", &text, text_encoding)?,
            MailClient::HtmlOnly => part(out, "text/html", "", &html(), Encoding::QuotedPrintable)?,
        }
        if attach {
            writeln!(out, "--{outer}")?;
            self.attachment(thread, rng, out)?;
            writeln!(out, "--{outer}--")?;
        }
        Ok(())
    }

    fn attachment(&self, thread: &Thread, rng: &mut ChaCha8Rng, out: &mut String) -> fmt::Result {
        let (name, mime, bytes) = if thread.circle.is_personal() {
            let mut bytes = vec![
                0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00,
            ];
            bytes.resize(rng.gen_range(5_000..26_000), 0);
            noise(rng, &mut bytes[11..]);
            (
                format!("IMG_{}.jpg", rng.gen_range(1000..9999)),
                "image/jpeg",
                bytes,
            )
        } else if rng.gen_bool(0.3) {
            let mut csv = String::from("date,project,owner,amount_eur\n");
            for row in 0..rng.gen_range(10..80) {
                writeln!(
                    csv,
                    "2024-{:02}-{:02},{},{},{}",
                    row % 12 + 1,
                    row % 28 + 1,
                    thread.project,
                    pick(rng, words::DAYS),
                    rng.gen_range(100..20_000)
                )?;
            }
            (
                format!(
                    "{}-numbers-q{}.csv",
                    thread.project.to_lowercase(),
                    rng.gen_range(1..5)
                ),
                "text/csv",
                csv.into_bytes(),
            )
        } else {
            let mut bytes = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
            let header = bytes.len();
            bytes.resize(rng.gen_range(3_000..15_000), 0);
            noise(rng, &mut bytes[header..]);
            let name = if rng.gen_bool(0.25) {
                format!("Übersicht {}.pdf", thread.project)
            } else {
                format!("{} {}.pdf", thread.project, thread.doc)
            };
            (name, "application/pdf", bytes)
        };
        if name.is_ascii() {
            writeln!(
                out,
                "Content-Type: {mime}; name=\"{name}\"\nContent-Disposition: \
                attachment; filename=\"{name}\""
            )?;
        } else {
            out.push_str("Content-Type: ");
            out.push_str(mime);
            out.push_str("; name=\"");
            header_text(&name, out);
            out.push_str("\"\nContent-Disposition: attachment;\n filename*=UTF-8''");
            for &b in name.as_bytes() {
                if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                    out.push(char::from(b));
                } else {
                    write!(out, "%{b:02X}")?;
                }
            }
            out.push('\n');
        }
        out.push_str("Content-Transfer-Encoding: base64\nX-Attachment-Id: f_");
        random_chars(rng, ALNUM, 9, out);
        out.push_str("\n\n");
        base64(&bytes, 76, out);
        Ok(())
    }

    fn bulk(
        &self,
        thread: &Thread,
        (sender, variant): (&Bulk, usize),
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) -> fmt::Result {
        let step = &thread.steps[0];
        let labels = self.labels(thread, 0, rng);
        self.gmail_headers(thread, &labels, out)?;
        self.transport(sender.address, step.at, rng, out)?;
        let domain = sender.address.split_once('@').map_or("", |(_, d)| d);
        let slug: String = sender
            .name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let mut token = String::new();
        random_chars(rng, ALNUM, 24, &mut token);
        writeln!(
            out,
            "MIME-Version: 1.0\nDate: {}",
            step.at.with_timezone(&sender.zone).format(DATE_FORMAT)
        )?;
        writeln!(
            out,
            "From: {} <{}>\nTo: {SAMPLE_ME}",
            sender.name, sender.address
        )?;
        out.push_str("Subject: ");
        header_text(&thread.subject, out);
        writeln!(out, "\nMessage-ID: {}", thread.steps[0].id)?;
        let odd = thread.id % 2 == 1;
        if sender.newsletter {
            writeln!(out, "List-Id: {} <{slug}.list-id.{domain}>", sender.name)?;
            writeln!(
                out,
                "List-Unsubscribe: <https://{domain}/unsubscribe?u={token}>,\n \
                <mailto:unsubscribe-{token}@{domain}?subject=unsubscribe>"
            )?;
            out.push_str("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n");
            if odd {
                out.push_str("Precedence: bulk\n");
            }
            writeln!(
                out,
                "Feedback-ID: {}:{slug}:newsletter",
                rng.gen_range(100..999)
            )?;
        } else {
            out.push_str(if odd {
                "Auto-Submitted: auto-generated\n"
            } else {
                "Precedence: bulk\n"
            });
            out.push_str("X-Auto-Response-Suppress: All\n");
        }
        let colleague = {
            let team = &self.world.members[Circle::Team.index()];
            self.world.people[team[rng.gen_range(0..team.len())] as usize].first
        };
        let slots = [
            ("colleague", colleague),
            ("project", thread.project),
            ("doc", thread.doc),
        ];
        let (mut text, mut html) = (String::new(), String::new());
        if sender.newsletter {
            newsletter(
                sender,
                &thread.subject,
                &token,
                &slots,
                rng,
                &mut text,
                &mut html,
            )?;
        } else {
            // A notification says what its subject announces.
            expand(
                sender.lines[variant % sender.lines.len()],
                &slots,
                rng,
                &mut text,
            );
            text.push_str("\n\n");
            write!(
                text,
                "--\nYou are receiving this because of your {} notification settings.\
                \nManage notifications: https://{domain}/settings/notifications\n",
                sender.name
            )?;
            html.push_str(
                "<html><body><div style=\"font-family:Arial,sans-serif;font-size:14px\">",
            );
            html_escape(&text, &mut html);
            html.push_str("</div></body></html>\n");
        }
        let promotion = sender.label == "Category Promotions";
        let html_encoding = if rng.gen_bool(0.3) {
            Encoding::Base64
        } else {
            Encoding::QuotedPrintable
        };
        if promotion && odd {
            return part(out, "text/html", "", &html, html_encoding);
        }
        if !sender.newsletter && rng.gen_bool(0.6) {
            return part(out, "text/plain", "", &text, Encoding::Raw);
        }
        let b = boundary(MailClient::Plain, rng, 1);
        writeln!(
            out,
            "Content-Type: multipart/alternative; boundary=\"{b}\"\n\n--{b}"
        )?;
        part(out, "text/plain", "", &text, Encoding::QuotedPrintable)?;
        writeln!(out, "--{b}")?;
        part(out, "text/html", "", &html, html_encoding)?;
        writeln!(out, "--{b}--")
    }

    fn invite(
        &self,
        thread: &Thread,
        meeting: &Meeting,
        rng: &mut ChaCha8Rng,
        out: &mut String,
    ) -> fmt::Result {
        let step = &thread.steps[0];
        let labels = self.labels(thread, 0, rng);
        self.gmail_headers(thread, &labels, out)?;
        self.transport(&self.sender(thread, 0), step.at, rng, out)?;
        writeln!(
            out,
            "MIME-Version: 1.0\nDate: {}",
            step.at
                .with_timezone(&self.zone(step.from))
                .format(DATE_FORMAT)
        )?;
        out.push_str("From: ");
        self.mailbox(thread, step.from, self.day(step.at), false, out);
        writeln!(out, "\nTo: {SAMPLE_ME}")?;
        out.push_str("Subject: ");
        header_text(
            &format!(
                "Invitation: {} @ {} ({SAMPLE_ME})",
                meeting.summary,
                when(meeting)
            ),
            out,
        );
        writeln!(out, "\nMessage-ID: {}", thread.steps[0].id)?;
        let organizer = self.world.full_name(meeting.organizer);
        let mut text = format!(
            "{organizer} has invited you to the following event.\n\n{}\nWhen: {}\n",
            meeting.summary,
            when(meeting)
        );
        if !meeting.location.is_empty() {
            writeln!(text, "Where: {}", meeting.location)?;
        }
        text.push_str("Guests:\n");
        for &(who, _) in &meeting.attendees {
            let name = if who == ME {
                "Maya Lindqvist".to_owned()
            } else {
                self.world.full_name(who)
            };
            writeln!(
                text,
                "- {name}{}",
                if who == meeting.organizer {
                    " (organiser)"
                } else {
                    ""
                }
            )?;
        }
        text.push_str("\nReply for ");
        text.push_str(SAMPLE_ME);
        text.push_str(": Yes / No / Maybe\n\nInvitation from Google Calendar\n");
        let mut ics = String::new();
        let mut calendar = Ics {
            out: &mut ics,
            newline: "\n",
        };
        calendar.head("REQUEST");
        calendar.event(self.world, meeting)?;
        calendar.tail();
        let (outer, inner) = (
            boundary(MailClient::Gmail, rng, 0),
            boundary(MailClient::Gmail, rng, 1),
        );
        writeln!(
            out,
            "Content-Type: multipart/mixed; boundary=\"{outer}\"\n\n--{outer}"
        )?;
        writeln!(
            out,
            "Content-Type: multipart/alternative; boundary=\"{inner}\"\n\n--{inner}"
        )?;
        part(out, "text/plain", "", &text, Encoding::QuotedPrintable)?;
        writeln!(out, "--{inner}")?;
        part(
            out,
            "text/calendar",
            "; method=REQUEST",
            &ics,
            Encoding::Raw,
        )?;
        writeln!(out, "--{inner}--\n--{outer}")?;
        out.push_str(
            "Content-Type: application/ics; name=\"invite.ics\"\nContent-Disposition: \
            attachment; filename=\"invite.ics\"\nContent-Transfer-Encoding: base64\n\n",
        );
        base64(ics.as_bytes(), 76, out);
        writeln!(out, "--{outer}--")
    }
}

/// A newsletter issue: a few stories, as text and as a table-laid HTML email.
fn newsletter(
    sender: &Bulk,
    subject: &str,
    token: &str,
    slots: &[(&str, &str)],
    rng: &mut ChaCha8Rng,
    text: &mut String,
    html: &mut String,
) -> fmt::Result {
    let domain = sender.address.split_once('@').map_or("", |(_, d)| d);
    writeln!(text, "{}\n{subject}\n", sender.name)?;
    write!(
        html,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
        content=\"width=device-width\"><title>"
    )?;
    html_escape(subject, html);
    write!(
        html,
        "</title><style>body{{margin:0;padding:0;\
        background:#f3f1ee}}a{{color:#1b4d89}}@media \
        (max-width:620px){{.wrap{{width:100%!important}}}}</style></head>\n<body><table \
        role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
        style=\"background:#f3f1ee\"><tr><td align=\"center\">\n<table class=\"wrap\" \
        role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" \
        style=\"background:#ffffff;border-radius:6px\">\n<tr><td style=\"padding:28px 32px 12px \
        32px;font-family:Georgia,'Times New Roman',serif;font-size:26px;color:#111111\">{}</td>\
        </tr>\n",
        sender.name
    )?;
    let (mut headlines, mut sentences) = (Vec::new(), Vec::new());
    for story in 0..rng.gen_range(3..=5) {
        let (mut headline, mut blurb) = (String::new(), String::new());
        expand(
            fresh(rng, words::HEADLINES, &mut headlines),
            slots,
            rng,
            &mut headline,
        );
        for i in 0..rng.gen_range(2..=3) {
            if i > 0 {
                blurb.push(' ');
            }
            expand(
                fresh(rng, words::NEWS_SENTENCES, &mut sentences),
                slots,
                rng,
                &mut blurb,
            );
        }
        let link = format!("https://{domain}/r/{token}/{story}");
        writeln!(text, "## {headline}\n")?;
        wrap(&blurb, 72, "", text);
        writeln!(text, "Read more: {link}\n")?;
        html.push_str(
            "<tr><td style=\"padding:20px 32px 6px 32px;font-family:Georgia,'Times New \
            Roman',serif;font-size:21px;line-height:28px;color:#1a1a1a\">",
        );
        write!(
            html,
            "<a href=\"{link}\" style=\"color:#1a1a1a;text-decoration:none\">"
        )?;
        html_escape(&headline, html);
        html.push_str(
            "</a></td></tr>\n<tr><td style=\"padding:0 32px 18px 32px;\
            font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:25px;\
            color:#444444\">",
        );
        html_escape(&blurb, html);
        writeln!(
            html,
            " <a href=\"{link}\" style=\"color:#1b4d89\">Read more&nbsp;&rarr;</a></td></tr>"
        )?;
    }
    writeln!(
        text,
        "--\nYou are receiving this because you subscribed to {}.\nUnsubscribe: \
        https://{domain}/unsubscribe?u={token}",
        sender.name
    )?;
    write!(
        html,
        "<tr><td style=\"padding:24px 32px;font-family:Helvetica,Arial,sans-serif;\
        font-size:12px;line-height:18px;color:#888888;border-top:1px solid #eeeeee\">You are \
        receiving this because you subscribed to {}.<br><a \
        href=\"https://{domain}/unsubscribe?u={token}\" style=\"color:#888888\">Unsubscribe</a> \
        &middot; <a href=\"https://{domain}/preferences?u={token}\" style=\"color:#888888\">\
        Preferences</a></td></tr>\n</table></td></tr></table><img \
        src=\"https://{domain}/o/{token}.gif\" width=\"1\" height=\"1\" alt=\"\"></body></html>\n",
        sender.name
    )
}

/// A MIME boundary in the style of `client`; `level` tells nested ones apart.
fn boundary(client: MailClient, rng: &mut ChaCha8Rng, level: u8) -> String {
    let mut b = String::with_capacity(40);
    match client {
        MailClient::Outlook => {
            b.push_str(if level == 0 { "_004_" } else { "_000_" });
            random_chars(rng, UPPER_HEX, 24, &mut b);
            b.push('_');
        }
        MailClient::Apple => {
            b.push_str("Apple-Mail=_");
            random_chars(rng, UPPER_HEX, 8, &mut b);
            b.push('-');
            random_chars(rng, UPPER_HEX, 12, &mut b);
        }
        _ => {
            b.push_str("0000000000");
            random_chars(rng, LOWER_HEX, 16, &mut b);
            b.push(char::from(b'a' + level));
        }
    }
    b
}

/// One body part with its headers.
fn part(
    out: &mut String,
    mime: &str,
    parameters: &str,
    body: &str,
    encoding: Encoding,
) -> fmt::Result {
    let encoding = if body.is_ascii()
        && encoding == Encoding::QuotedPrintable
        && body.lines().all(|l| l.len() < 76 && !l.contains('='))
    {
        Encoding::Raw
    } else {
        encoding
    };
    let name = match encoding {
        Encoding::Raw if body.is_ascii() => "7bit",
        Encoding::Raw => "8bit",
        Encoding::QuotedPrintable => "quoted-printable",
        Encoding::Base64 => "base64",
    };
    writeln!(
        out,
        "Content-Type: {mime}; charset=\"UTF-8\"{parameters}\nContent-Transfer-Encoding: {name}\n"
    )?;
    match encoding {
        Encoding::Raw => out.push_str(body),
        Encoding::QuotedPrintable => quoted_printable(body, out),
        Encoding::Base64 => base64(body.as_bytes(), 76, out),
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(())
}

fn short(rng: &mut ChaCha8Rng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    random_chars(rng, ALNUM, n, &mut s);
    s
}
