import { styled } from 'styled-components';

/**
 * A card for one thing a member keeps (a webhook endpoint, a voucher programme): its left edge in
 * the colour of its state (set by the card's class in the view that uses it), its facts as a
 * definition list in two columns that stack into one on a phone.
 */
export const StateCard = styled.section`
  border: 1px solid #c8cdd0;
  border-left: 6px solid #5f686d;
  padding: 16px 20px;
  margin: 0 0 24px;
  dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 6px 16px;
    margin: 12px 0 16px;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  @media (max-width: 600px) {
    dl {
      grid-template-columns: minmax(0, 1fr);
    }
    dd {
      margin-bottom: 8px;
    }
  }
`;
