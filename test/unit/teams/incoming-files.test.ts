// Files sent to the bot in Teams: which attachment is a file, and which download addresses are trusted.
// No download happens here (test/integration/teams-files.test.ts downloads from a loopback fake).
import { describe, expect, it } from 'vitest';
import { FILE_DOWNLOAD_INFO, httpOriginOf, sentFile, trustedDownloadUrl } from '../../../src/platforms/teams/incoming-files.ts';
import { ValidationError } from '../../../src/errors.ts';

const production = { httpOrigin: httpOriginOf('https://smba.trafficmanager.net/teams/'), maxBytes: 1000 };

describe('files sent to the bot', () => {
  it('finds the file.download.info attachment among the others, named as Teams names it', () => {
    const file = sentFile(
      [
        { contentType: 'text/html', content: '<p>dry run</p>' },
        {
          contentType: FILE_DOWNLOAD_INFO,
          name: 'register.xlsx',
          contentUrl: 'https://contoso.sharepoint.com/personal/priya/Documents/Microsoft Teams Chat Files/register.xlsx',
          content: { downloadUrl: 'https://contoso.sharepoint.com/download.aspx?tempauth=x', uniqueId: '1150D938', fileType: 'xlsx', etag: '1' },
        },
      ],
      production,
    );
    expect(file).toMatchObject({ name: 'register.xlsx', size: null });
    expect(sentFile([{ contentType: 'text/html', content: '<p>show x</p>' }], production)).toBeNull();
    expect(sentFile(undefined, production)).toBeNull();
  });

  it('names a nameless file from its id and type, and says so when Teams gave no download address', async () => {
    expect(sentFile([{ contentType: FILE_DOWNLOAD_INFO, content: { downloadUrl: 'https://x.test/d', uniqueId: 'ABC', fileType: 'csv' } }], production)!.name).toBe('ABC.csv');
    const broken = sentFile([{ contentType: FILE_DOWNLOAD_INFO, name: 'r.csv', content: { uniqueId: 'ABC' } }], production)!;
    await expect(broken.read()).rejects.toThrow(ValidationError);
    await expect(broken.read()).rejects.toThrow('Teams did not give me a way to download r.csv');
  });

  it('refuses plain http in production, and credentials anywhere', async () => {
    expect(trustedDownloadUrl('https://contoso.sharepoint.com/download.aspx?x=1', production.httpOrigin)?.host).toBe('contoso.sharepoint.com');
    expect(trustedDownloadUrl('http://contoso.sharepoint.com/download.aspx', production.httpOrigin)).toBeNull();
    expect(trustedDownloadUrl('http://127.0.0.1:9/f.csv', production.httpOrigin)).toBeNull();
    expect(trustedDownloadUrl('https://user:pw@contoso.sharepoint.com/f.csv', production.httpOrigin)).toBeNull();
    expect(trustedDownloadUrl('file:///etc/passwd', production.httpOrigin)).toBeNull();
    expect(trustedDownloadUrl('not a url', production.httpOrigin)).toBeNull();
    const file = sentFile([{ contentType: FILE_DOWNLOAD_INFO, name: 'r.csv', content: { downloadUrl: 'http://127.0.0.1:9/r.csv' } }], production)!;
    await expect(file.read()).rejects.toThrow('Teams gave an address for r.csv that I do not trust (only https is allowed); nothing was downloaded.');
  });

  it('allows plain http only from the Bot Connector address a test points TEAMS_SERVICE_URL at', () => {
    const origin = httpOriginOf('http://127.0.0.1:4321/teams/');
    expect(origin).toBe('http://127.0.0.1:4321');
    expect(trustedDownloadUrl('http://127.0.0.1:4321/teams/download/abc', origin)).not.toBeNull();
    expect(trustedDownloadUrl('http://127.0.0.1:4322/teams/download/abc', origin)).toBeNull();
    expect(trustedDownloadUrl('http://localhost:4321/teams/download/abc', origin)).toBeNull();
  });
});
