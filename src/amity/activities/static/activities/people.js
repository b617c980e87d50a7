// django-autocomplete-light 5.0 appends what was typed to the lookup's URL as it is, so
// "&" or "#" cut the search short and "+" becomes a space: the same URL, encoded.
const Input = customElements.get('autocomplete-select-input')

Object.defineProperty(Input.prototype, 'url', {
  get() {
    const base = this.getAttribute('url')
    if (!base) return undefined
    const query = new URLSearchParams({q: this.input.value})
    this.parentNode.querySelectorAll('option[selected]').forEach((option) => {
      query.append('_', option.value)
    })
    return `${base}?${query}`
  },
})
