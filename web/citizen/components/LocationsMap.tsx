import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { webConfig } from '../web-config.ts';

/**
 * Service locations on a Leaflet map with the network's configured tiles (GET /api/v1/web/config).
 * The locations are always listed beside it as text, so when tiles are off or cannot load (no
 * network, a blocked tile host) the page says so and nothing is lost.
 */
export interface MapPoint {
  id: string;
  latitude: number;
  longitude: number;
  label: string;
  address: string;
}


export default function LocationsMap({ points }: { points: MapPoint[] }) {
  const { t } = useTranslation('citizen');
  const element = useRef<HTMLDivElement>(null);
  const [tiles, setTiles] = useState<'loading' | 'ok' | 'none' | 'failed'>('loading');

  useEffect(() => {
    if (!element.current) return;
    // Leaflet's own zoom buttons are titled in English: ours say it in the page's language.
    const map = L.map(element.current, { scrollWheelZoom: false, keyboard: true, zoomControl: false });
    L.control.zoom({ zoomInTitle: t('service.zoomIn'), zoomOutTitle: t('service.zoomOut') }).addTo(map);
    const bounds = L.latLngBounds(points.map((p) => [p.latitude, p.longitude] as [number, number]));
    map.fitBounds(bounds.pad(0.3), { maxZoom: 14 });
    for (const p of points) {
      L.circleMarker([p.latitude, p.longitude], { radius: 9, color: '#00347a', weight: 3, fillColor: '#2a6ebb', fillOpacity: 0.8 })
        .bindPopup(`<strong></strong><br><span></span>`)
        .on('popupopen', (e) => {
          // Text, never HTML, from the catalogue.
          const root = e.popup.getElement();
          root?.querySelector('strong')?.replaceChildren(p.label);
          root?.querySelector('span')?.replaceChildren(p.address);
        })
        .addTo(map);
    }
    let cancelled = false;
    webConfig()
      .then(({ map: settings }) => {
        if (cancelled) return;
        if (!settings.tiles) {
          setTiles('none');
          return;
        }
        let loaded = 0;
        let failed = 0;
        const layer = L.tileLayer(settings.tiles, { maxZoom: settings.max_zoom, attribution: settings.attribution });
        layer.on('tileload', () => {
          loaded++;
          setTiles('ok');
        });
        layer.on('tileerror', () => {
          failed++;
          if (loaded === 0 && failed >= 1) setTiles('failed');
        });
        layer.addTo(map);
      })
      .catch(() => !cancelled && setTiles('failed'));
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [points]);

  return (
    <div className="locations-map">
      <div ref={element} className="locations-map__canvas" role="region" aria-label={t('service.mapLabel')} />
      {tiles === 'none' && <p className="hint" role="status">{t('service.mapNoTiles')}</p>}
      {tiles === 'failed' && (
        <p className="hint" role="status" data-testid="map-tiles-failed">
          {t('service.mapTilesFailed')}
        </p>
      )}
    </div>
  );
}
